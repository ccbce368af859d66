import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Artefacts, MultiIngressBackend, MultiIngressBackendProps, WireApp } from '../src';

/** The guide's three domains with its short ingress names. */
export const GUIDE: MultiIngressBackendProps = {
  defaultDomain: 'green.example.org',
  additionalDomains: ['red.example.com', 'blue.example.net'],
  ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
};

/** A synthesized deployment, read back from the emitted manifests. */
export interface Emitted {
  /** Every emitted object, in order. */
  readonly objects: any[];
  /** The emitted manifest YAML (one document per object). */
  readonly yaml: string;
  /** The construct, for what is not emitted (warnings, expected secrets). */
  readonly backend: MultiIngressBackend;
  /** What the library printed while synthesizing. */
  readonly printed: string[];
  /** The artefact files (path -> content) WireApp would write next to the manifests. */
  readonly files: { [path: string]: string };
}

/** Synthesize a MultiIngressBackend in a fresh app and return what was emitted. */
export function synth(props: MultiIngressBackendProps): Emitted {
  // a WireApp, so that `yaml` is the manifest as WireApp writes it
  const app = new WireApp({ outdir: 'synth-out/test-unused' });
  const chart = new Chart(app, 'wire');
  const backend = new MultiIngressBackend(chart, 'backend', props);
  const output = captureWarnings();
  try {
    const objects = Testing.synth(chart);
    const files = Object.fromEntries(Artefacts.of(app).map((f) => [f.path, f.render()]));
    return { objects, yaml: app.synthYaml(), backend, printed: output.lines(), files };
  } finally {
    output.restore();
  }
}

/** The emitted release (HelmChart) with the given name. */
export function release(emitted: Emitted, name: string): any {
  const found = emitted.objects.filter((o) => o.kind === 'HelmChart' && o.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one HelmChart named ${name}, found ${found.length}`);
  }
  return found[0];
}

/** The Helm values a release carries, parsed from its valuesContent. */
export function valuesOf(emitted: Emitted, name: string): any {
  return parse(release(emitted, name).spec.valuesContent);
}

/** Every emitted nginx-ingress-services release with its parsed values. */
export function ingressReleases(emitted: Emitted): Array<{ name: string; values: any; object: any }> {
  return emitted.objects
    .filter((o) => o.kind === 'HelmChart' && o.spec.chart === 'nginx-ingress-services')
    .map((o) => ({ name: o.metadata.name, values: parse(o.spec.valuesContent), object: o }));
}

/**
 * n distinct valid domains with mixed TLDs and depths, each under its own
 * registrable domain (siblings such as d1.zone1.com and d6.zone1.com are the
 * audit's registrable-domain error).
 */
export function domains(n: number): string[] {
  const tlds = ['com', 'net', 'org', 'de', 'io', 'example'];
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `site${i}.${tlds[i % tlds.length]}` : `d${i}.zone${i}.${tlds[i % tlds.length]}`));
}

/** Silence and capture what the library prints at synth time. */
export function captureWarnings(): { lines: () => string[]; restore: () => void } {
  const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  return { lines: () => spy.mock.calls.map((c) => c.join(' ')), restore: () => spy.mockRestore() };
}

/** The message of the error `fn` throws (fails the test when it throws none). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** A failure of `validateObjects`. */
export interface SchemaFailure {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly error: string;
}

/**
 * Validate objects against the upstream schemas (test/schemas/validate.mjs:
 * @kubernetes-models packages for Flux, Argo CD and core kinds, the k3s
 * HelmChart CRD's fields for HelmChart). Returns the failures.
 */
export function validateObjects(objects: any[]): SchemaFailure[] {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'schemas', 'validate.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`schema validation did not run: ${result.error?.message ?? result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A new temporary folder, removed after the test file. */
export function tempDir(prefix: string = 'wire-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Every file below `dir`, relative with `/`, sorted (none when it does not exist). */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}
