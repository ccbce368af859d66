// Benchmark of the whole `synth` command (process start included) at 10,
// 100, 1,000 and 10,000 domains, against a baseline measured in the same
// run: raw cdk8s emitting the same objects with the same values
// (bench/baseline.js: the Helm values as data, rendered with cdk8s' Yaml as a
// cdk8s app of one's own would; and, for reference, the objects exactly as
// written, valuesContent already a string). Prints wall time (median of the runs) and peak memory
// for each, the ratio to the baseline (median of the ratios of runs taken in
// turn), and the growth from 1,000 to 10,000.
//
// Usage: npm run bench [-- --sizes 10,100,1000,10000 --runs 5 --format helmchart]
// Needs the compiled library (the bench task compiles first).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = option('sizes', '10,100,1000,10000').split(',').map(Number);
const RUNS = Number(option('runs', '5'));
const FORMAT = option('format', 'helmchart');

if (!fs.existsSync(CLI)) {
  console.error(`bench: ${CLI} is missing; run npx projen compile first (npm run bench does)`);
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-bench-'));

/** n distinct domains with mixed TLDs and depths, as the tests use. */
function domains(n) {
  const tlds = ['com', 'net', 'org', 'de', 'io', 'example'];
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `site${i}.${tlds[i % tlds.length]}` : `d${i}.zone${i % 5}.${tlds[i % tlds.length]}`));
}

/** Run a node script; wall time in ms and peak RSS in bytes. */
function measure(script, scriptArgs) {
  const rssFile = path.join(work, 'rss');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'peak-rss.js'), script, ...scriptArgs], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${path.basename(script)} ${scriptArgs.join(' ')} failed (${r.status}):\n${r.stderr}`);
  }
  return { ms, rss: Number(fs.readFileSync(rssFile, 'utf8')) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

/** Every object of a synthesized output folder, as JSON (what the baseline re-creates). */
function objectsOf(dir) {
  const yaml = require('yaml');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()
    .flatMap((f) => yaml.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON()));
}

console.log(`node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0].model}, format ${FORMAT}, median of ${RUNS} run(s) (3 at 10,000), command and baseline in turn`);
console.log('');
console.log('| domains | synth command | peak memory | raw cdk8s baseline | baseline memory | ratio | pre-rendered baseline | ratio |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
const results = {};
for (const n of SIZES) {
  const [defaultDomain, ...additionalDomains] = domains(n);
  const config = path.join(work, `config-${n}.json`);
  fs.writeFileSync(config, JSON.stringify({ defaultDomain, additionalDomains, format: { type: FORMAT } }));
  const out = path.join(work, `out-${n}`);
  const runs = n >= 10000 ? Math.min(RUNS, 3) : RUNS;
  // the baseline re-creates exactly what the command wrote
  measure(CLI, ['synth', '--config', config, '--out', out, '--quiet']);
  const objects = objectsOf(out);
  const rendered = path.join(work, `objects-${n}.json`);
  fs.writeFileSync(rendered, JSON.stringify(objects));
  // the same objects with each HelmChart's values as data (outside the object, which the baseline renders)
  const asValues = path.join(work, `values-${n}.json`);
  fs.writeFileSync(
    asValues,
    JSON.stringify(
      objects.map((o) => {
        if (o.kind !== 'HelmChart') return o;
        const { valuesContent, ...spec } = o.spec;
        return { ...o, spec, values: require('yaml').parse(valuesContent) };
      }),
    ),
  );
  // runs alternate between the command and the baseline, so that both see the same machine; the ratio is
  // the median of the per-pair ratios
  const ours = [];
  const base = [];
  const pre = [];
  const baseline = path.join(__dirname, 'baseline.js');
  for (let i = 0; i < runs; i++) {
    ours.push(measure(CLI, ['synth', '--config', config, '--out', out, '--quiet']));
    base.push(measure(baseline, [asValues, path.join(work, `base-${n}`), 'values']));
    pre.push(measure(baseline, [rendered, path.join(work, `pre-${n}`), 'rendered']));
  }
  const r = {
    ms: median(ours.map((x) => x.ms)),
    rss: Math.max(...ours.map((x) => x.rss)),
    baseMs: median(base.map((x) => x.ms)),
    baseRss: Math.max(...base.map((x) => x.rss)),
    ratio: median(ours.map((x, i) => x.ms / base[i].ms)),
    preMs: median(pre.map((x) => x.ms)),
    preRatio: median(ours.map((x, i) => x.ms / pre[i].ms)),
  };
  results[n] = r;
  console.log(
    `| ${n.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} s | ${mib(r.rss)} | ${(r.baseMs / 1000).toFixed(2)} s | ${mib(r.baseRss)} | ` +
      `${r.ratio.toFixed(2)}x | ${(r.preMs / 1000).toFixed(2)} s | ${r.preRatio.toFixed(2)}x |`,
  );
}
console.log('');
const verdict = (ok) => (ok ? 'met' : 'MISSED');
if (results[1000]) {
  const r = results[1000];
  console.log(`1,000 domains in under 1.5 s: ${(r.ms / 1000).toFixed(2)} s, ${verdict(r.ms < 1500)}`);
  console.log(`1,000 domains within 1.5x the baseline: ${r.ratio.toFixed(2)}x, ${verdict(r.ratio <= 1.5)}`);
}
if (results[1000] && results[10000]) {
  const growth = results[10000].ms / results[1000].ms;
  console.log(`10,000 domains within 12x the 1,000-domain time: ${growth.toFixed(2)}x, ${verdict(growth <= 12)}`);
  console.log(`peak memory at 10,000 domains under 1 GiB: ${mib(results[10000].rss)}, ${verdict(results[10000].rss < 1024 ** 3)}`);
}
fs.rmSync(work, { recursive: true, force: true });
