// Benchmark of the whole `synth` command (process start included) for the
// full deployment: the releases alone, with entry points (a load balancer
// Service per domain and the files of an HAProxy VPS per domain) at IPv4 and
// at IPv6 addresses, and with the in-cluster edge proxies instead of the load
// balancers (a ConfigMap, a Deployment and a Service per domain), in every
// release format, at 10, 100, 1,000 and 10,000 domains.
//
// The baseline is raw cdk8s writing the very same objects and files
// (bench/baseline.js): the objects are read back from the command's output
// and emitted with one ApiObject each in one chart, and every other file the
// command wrote is written with the same bytes. The command and the baseline
// run in turn, so that both see the same machine; the ratio is the median of
// the per-pair ratios, the times the medians of the runs, the memory the
// largest peak resident set of the runs.
//
// It then prints whether each target of issue 12 is met: every case within
// 1.3x the baseline at 1,000 and 10,000 domains; 10,000 domains within 11x the
// time of 1,000 for each case; under 1 GiB at 10,000 domains with everything
// on; under 2 GiB at 50,000 domains, releases only; a cold synth of the
// guide's example well under 0.5 s.
//
// Usage: npm run bench [-- OPTIONS]
//   --sizes 10,100,1000,10000   domain counts
//   --runs 3                    pairs of runs per measurement
//   --formats helmchart,flux,argocd,values
//   --cases releases,lb-ipv4,lb-ipv6,edge-ipv4,edge-ipv6
//   --large 50000               releases-only memory check (0: skip)
//   --quick                     sizes 10,100,1000, 1 run, Flux only (HelmChart refuses 1,000), no large check
//   --dir DIR                   folder for the outputs (default: the OS's temporary folder)
// Needs the compiled library (the bench task compiles first).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { domains } = require('./domains');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const GUIDE = path.join(ROOT, 'examples', 'guide-three-domains', 'multi-ingress.yaml');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const list = (name, fallback) => option(name, fallback).split(',').filter((x) => x !== '');
const SIZES = list('sizes', QUICK ? '10,100,1000' : '10,100,1000,10000').map(Number);
const RUNS = Number(option('runs', QUICK ? '1' : '3'));
const FORMATS = list('formats', QUICK ? 'flux' : 'helmchart,flux,argocd,values');
const CASES = list('cases', 'releases,lb-ipv4,lb-ipv6,edge-ipv4,edge-ipv6');
const LARGE = Number(option('large', QUICK ? '0' : '50000'));

const CASE_CONFIG = {
  releases: () => undefined,
  'lb-ipv4': (names) => ({ addresses: addresses(names, 4) }),
  'lb-ipv6': (names) => ({ addresses: addresses(names, 6) }),
  'edge-ipv4': (names) => ({ addresses: addresses(names, 4), ...EDGE }),
  'edge-ipv6': (names) => ({ addresses: addresses(names, 6), ...EDGE }),
};
/** In-cluster edge proxies, in edge.k8s.yaml, instead of the load balancers (one entry point per domain). */
const EDGE = { edgeProxies: true, edgeProxyNamespace: 'wire-edge', loadBalancer: { enabled: false } };
const FORMAT_CONFIG = {
  helmchart: { type: 'helmchart' },
  flux: { type: 'flux' },
  // own certificates are secret values: Argo CD reads them from a git repository
  argocd: { type: 'argocd', secretValuesRepository: { repoURL: 'https://git.example.org/wire-secrets.git' } },
  values: { type: 'values' },
};
for (const c of CASES) if (!CASE_CONFIG[c]) usage(`unknown case "${c}": expected ${Object.keys(CASE_CONFIG).join(', ')}`);
for (const f of FORMATS) if (!FORMAT_CONFIG[f]) usage(`unknown format "${f}": expected ${Object.keys(FORMAT_CONFIG).join(', ')}`);
for (const n of SIZES) if (!Number.isInteger(n) || n < 1) usage(`size "${n}" is not valid: expected whole numbers of domains`);
if (!Number.isInteger(RUNS) || RUNS < 1) usage(`--runs "${RUNS}" is not valid: expected a whole number of at least 1`);

function usage(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

if (!fs.existsSync(CLI)) {
  usage(`${CLI} is missing; run npx projen compile first (npm run bench does)`);
}

// --dir: where the outputs go (a tmpfs such as /dev/shm takes the disk's own noise out of both sides)
const work = fs.mkdtempSync(path.join(option('dir', os.tmpdir()), 'wire-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

/** One distinct address per domain: 10.0.0.0/8 or 2001:db8::/32. */
function addresses(names, family) {
  return Object.fromEntries(
    names.map((d, i) => [d, family === 4 ? `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}` : `2001:db8::${(i + 1).toString(16)}`]),
  );
}

function writeConfig(file, n, caseName, format) {
  const names = domains(n);
  const [defaultDomain, ...additionalDomains] = names;
  const entry = CASE_CONFIG[caseName](names);
  const config = { defaultDomain, additionalDomains, format: FORMAT_CONFIG[format] };
  if (entry) config.entryPoints = { backendAddress: '192.0.2.1', ...entry };
  fs.writeFileSync(file, JSON.stringify(config));
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
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Every file below `dir`, relative paths, sorted. */
function filesBelow(dir, prefix = '') {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** What the baseline re-creates: every object of the manifests, and every other file's bytes. */
function baselineInput(dir) {
  const yaml = require('yaml');
  const objects = [];
  const files = {};
  for (const f of filesBelow(dir)) {
    const bytes = fs.readFileSync(path.join(dir, f));
    if (f.endsWith('.k8s.yaml') && !f.includes(path.sep)) {
      objects.push(...yaml.parseAllDocuments(bytes.toString('utf8')).map((d) => d.toJSON()));
    } else {
      files[f] = bytes.toString('base64');
    }
  }
  return { objects, files };
}

/** The baseline wrote the same files with the same bytes (checked once per measurement). */
function checkBaselineFiles(ours, base, input) {
  for (const f of Object.keys(input.files)) {
    if (!fs.readFileSync(path.join(ours, f)).equals(fs.readFileSync(path.join(base, f)))) {
      throw new Error(`bench: the baseline's ${f} differs from the command's`);
    }
  }
}

console.log(
  `node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0].model}; outputs in ${path.dirname(work)}; median of ${RUNS} run(s), ` +
    'command and baseline in turn; the baseline is raw cdk8s writing the same objects and files',
);
console.log('');
console.log('| case | format | domains | objects | other files | synth command | peak memory | raw cdk8s, same objects and files | baseline memory | ratio |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const results = new Map(); // `${case}/${format}/${n}`
const key = (c, f, n) => `${c}/${f}/${n}`;
for (const caseName of CASES) {
  for (const format of FORMATS) {
    for (const n of SIZES) {
      const config = path.join(work, 'config.json');
      writeConfig(config, n, caseName, format);
      const out = path.join(work, 'out');
      const baseOut = path.join(work, 'base');
      try {
        // each measurement starts from an empty folder: over another case's output, synth would
        // compare with it (the plan guard) and refuse, e.g., a change of format
        fs.rmSync(out, { recursive: true, force: true });
        measure(CLI, ['synth', '--config', config, '--out', out, '--quiet']);
      } catch (e) {
        // a refused input is a result too (and a missed target), not the end of the benchmark
        const finding = /acknowledgedFindings: \[("[^"]*")/.exec(e.message);
        const reason = finding ? `audit finding ${finding[1]}` : (/^cdk8s-wire-multi-ingress: .*\n\s*(.*)$/m.exec(e.message)?.[1] ?? e.message).slice(0, 160);
        // the HelmChart format refuses values its helm-controller cannot store (a Secret over 1 MiB): a limit, not a miss
        results.set(key(caseName, format, n), { failed: true, limit: /Kubernetes refuses/.test(e.message) });
        console.log(`| ${caseName} | ${format} | ${n.toLocaleString('en')} | refused: ${reason} |`);
        continue;
      }
      const input = baselineInput(out);
      const inputFile = path.join(work, 'baseline-input.json');
      fs.writeFileSync(inputFile, JSON.stringify(input));
      const baseline = path.join(__dirname, 'baseline.js');
      measure(baseline, [inputFile, baseOut]);
      checkBaselineFiles(out, baseOut, input);
      const ours = [];
      const base = [];
      for (let i = 0; i < RUNS; i++) {
        // a first synth into a new folder each time, as the baseline writes one: over an earlier
        // output synth also compares with it (the plan guard), which bench:plan measures
        fs.rmSync(out, { recursive: true, force: true });
        ours.push(measure(CLI, ['synth', '--config', config, '--out', out, '--quiet']));
        base.push(measure(baseline, [inputFile, baseOut]));
      }
      const r = {
        ms: median(ours.map((x) => x.ms)),
        rss: Math.max(...ours.map((x) => x.rss)),
        baseMs: median(base.map((x) => x.ms)),
        baseRss: Math.max(...base.map((x) => x.rss)),
        ratio: median(ours.map((x, i) => x.ms / base[i].ms)),
      };
      results.set(key(caseName, format, n), r);
      console.log(
        `| ${caseName} | ${format} | ${n.toLocaleString('en')} | ${input.objects.length.toLocaleString('en')} | ` +
          `${Object.keys(input.files).length.toLocaleString('en')} | ${sec(r.ms)} | ${mib(r.rss)} | ${sec(r.baseMs)} | ${mib(r.baseRss)} | ${r.ratio.toFixed(2)}x |`,
      );
    }
  }
}

// the guide's example, cold: a new process each time, as a pipeline runs it
const guide = [];
for (let i = 0; i < Math.max(RUNS, 5); i++) {
  fs.rmSync(path.join(work, 'guide'), { recursive: true, force: true });
  guide.push(measure(CLI, ['synth', '--config', GUIDE, '--out', path.join(work, 'guide'), '--quiet']).ms);
}
const guideMs = median(guide);

let large;
if (LARGE > 0) {
  const config = path.join(work, 'config-large.json');
  // a format that can carry that many domains' values (the HelmChart format refuses them: over 1 MiB)
  const largeFormat = FORMATS.find((f) => f !== 'helmchart') ?? 'flux';
  writeConfig(config, LARGE, 'releases', largeFormat);
  large = measure(CLI, ['synth', '--config', config, '--out', path.join(work, 'large'), '--quiet']);
  console.log('');
  console.log(`${LARGE.toLocaleString('en')} domains, releases only, ${largeFormat}: ${sec(large.ms)}, peak memory ${mib(large.rss)}`);
}

console.log('');
const verdict = (ok) => (ok ? 'met' : 'MISSED');
let missed = 0;
const target = (text, ok) => {
  if (!ok) missed++;
  console.log(`- ${text}: ${verdict(ok)}`);
};
console.log('Targets:');
for (const caseName of CASES) {
  for (const format of FORMATS) {
    for (const n of [1000, 10000]) {
      const r = results.get(key(caseName, format, n));
      if (r?.limit) console.log(`- ${caseName}, ${format}, ${n.toLocaleString('en')} domains: refused, more than the format can deploy (not counted)`);
      else if (r?.failed) target(`${caseName}, ${format}, ${n.toLocaleString('en')} domains: the command refused the input`, false);
      else if (r) target(`${caseName}, ${format}, ${n.toLocaleString('en')} domains within 1.3x the baseline: ${r.ratio.toFixed(2)}x`, r.ratio <= 1.3);
    }
    const small = results.get(key(caseName, format, 1000));
    const big = results.get(key(caseName, format, 10000));
    if (small && big && !small.failed && !big.failed) {
      const growth = big.ms / small.ms;
      target(`${caseName}, ${format}: 10,000 domains within 11x the 1,000-domain time: ${growth.toFixed(2)}x`, growth <= 11);
    }
    const everything = caseName.startsWith('edge-') && results.get(key(caseName, format, 10000));
    if (everything && !everything.failed) target(`${caseName}, ${format}: peak memory at 10,000 domains under 1 GiB: ${mib(everything.rss)}`, everything.rss < 1024 ** 3);
  }
}
if (large) target(`peak memory at ${LARGE.toLocaleString('en')} domains, releases only, under 2 GiB: ${mib(large.rss)}`, large.rss < 2 * 1024 ** 3);
target(`cold synth of the guide's example (median of ${guide.length}) well under 0.5 s: ${sec(guideMs)}`, guideMs < 500);
console.log('');
console.log(missed === 0 ? 'every target met' : `${missed} target(s) missed`);
