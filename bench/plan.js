// Benchmark of `plan` (a case of its own, beside bench.js): the plan of
// 1,000 -> 1,001 domains against the synth of the same 1,001 domains, both
// the whole command (process start included). The earlier output is the
// synth of 1,000 domains. "synth (new folder)" writes into a folder that
// does not exist, so it compares nothing; "synth (over the output)" writes
// over the earlier output, so it also refuses dangers, as plan does.
// Runs alternate; prints the medians and the median of the per-run ratios.
//
// Usage: npm run bench:plan [-- --from 1000 --runs 5 --format flux]
// (Flux by default: the HelmChart format refuses wire-server's values at 1,000 domains, more than
// the 1 MiB Secret its helm-controller copies them into holds)
// Needs the compiled library (the task compiles first).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { domains } = require('./domains');

const CLI = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const FROM = Number(option('from', '1000'));
const RUNS = Number(option('runs', '5'));
const FORMAT = option('format', 'flux');

if (!fs.existsSync(CLI)) {
  console.error(`bench: ${CLI} is missing; run npx projen compile first (npm run bench:plan does)`);
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-bench-plan-'));

function config(n) {
  const [defaultDomain, ...additionalDomains] = domains(n);
  const file = path.join(work, `config-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ defaultDomain, additionalDomains, format: { type: FORMAT } }));
  return file;
}

/** Run the command; wall time in ms. */
function measure(argv, expected) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expected) throw new Error(`${argv.join(' ')}: exit ${r.status}, expected ${expected}:\n${r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const earlier = path.join(work, 'earlier');
measure(['synth', '--config', config(FROM), '--out', earlier, '--quiet'], 0);
const next = config(FROM + 1);
const plans = [];
const fresh = [];
const over = [];
let text = '';
for (let i = 0; i < RUNS; i++) {
  const p = measure(['plan', '--config', next, '--against', earlier], 3);
  text = p.out;
  plans.push(p.ms);
  const out = path.join(work, `fresh-${i}`);
  fresh.push(measure(['synth', '--config', next, '--out', out, '--quiet'], 0).ms);
  fs.rmSync(out, { recursive: true, force: true });
  const copy = path.join(work, `over-${i}`);
  fs.cpSync(earlier, copy, { recursive: true });
  over.push(measure(['synth', '--config', next, '--out', copy, '--quiet'], 0).ms);
  fs.rmSync(copy, { recursive: true, force: true });
}
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0].model}, format ${FORMAT}, ${FROM.toLocaleString('en')} -> ${(FROM + 1).toLocaleString('en')} domains, median of ${RUNS} run(s)`);
console.log('');
console.log('| command | time | ratio to synth (new folder) |');
console.log('|---|---:|---:|');
console.log(`| plan | ${s(median(plans))} | ${median(plans.map((x, i) => x / fresh[i])).toFixed(2)}x |`);
console.log(`| synth (new folder) | ${s(median(fresh))} | 1.00x |`);
console.log(`| synth (over the output, compares first) | ${s(median(over))} | ${median(over.map((x, i) => x / fresh[i])).toFixed(2)}x |`);
console.log('');
console.log('The plan:');
console.log(text.trimEnd().replace(/^/gm, '    '));
fs.rmSync(work, { recursive: true, force: true });
