import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { MultiIngressBackend, WireApp } from '../src';
import { GUIDE, captureWarnings, tempDir } from './util';
import { describeSecrets } from '../src/report';

/** A deployment whose audit fails: one base value names another domain in the default domain's ingress. */
const LEAKING = { ...GUIDE, ingressServicesValues: { extra: 'see red.example.com' } };

const SECRETS_HEADER = /: (create|provide) th(is|ese) .* before the releases install:/;

describe('the Secrets to create are listed once the synthesis succeeded, in full', () => {
  test('WireApp lists every Secret after the output is written, with the right plural', () => {
    const outdir = tempDir('report-');
    const app = new WireApp({ outdir });
    const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, additionalDomains: Array.from({ length: 9 }, (_, i) => `d${i}-example.net`), ingressNames: {} }); // registered apart (siblings are an audit error)
    const written: boolean[] = [];
    const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => {
      if (SECRETS_HEADER.test(line)) written.push(fs.existsSync(path.join(outdir, 'wire.k8s.yaml')));
    });
    try {
      app.synth();
      const lines = spy.mock.calls.map((c) => String(c[0]));
      const list = lines.filter((l) => SECRETS_HEADER.test(l));
      expect(list).toHaveLength(1);
      expect(written).toEqual([true]); // printed after the manifests were written
      expect(list[0]).toContain(`create these ${backend.expectedSecrets.length} Secrets before`);
      // every Secret is listed (no "... and N more"), one line each
      expect(list[0].split('\n')).toHaveLength(backend.expectedSecrets.length + 1);
      expect(list[0]).not.toMatch(/more|expectedSecrets/);
    } finally {
      spy.mockRestore();
    }
  });

  test('a failed synthesis lists no Secret', () => {
    for (const app of [new WireApp({ outdir: tempDir('report-') }), Testing.app()]) {
      new MultiIngressBackend(new Chart(app, 'wire'), 'backend', LEAKING);
      const output = captureWarnings();
      try {
        expect(() => app.synth()).toThrow(/unlinkability audit/);
        expect(output.lines().filter((l) => SECRETS_HEADER.test(l))).toEqual([]);
      } finally {
        output.restore();
      }
    }
  });

  test('a plain cdk8s App, which has no step after writing, lists them while it validates, and says WireApp writes the report', () => {
    const app = Testing.app();
    new MultiIngressBackend(new Chart(app, 'wire'), 'backend', GUIDE);
    const output = captureWarnings();
    try {
      app.synth();
      const text = output.lines().join('\n');
      expect(text).toMatch(/create these 4 Secrets before the releases install/);
      expect(text).toContain('a plain cdk8s App writes no report files: synthesize with WireApp');
      expect(text).not.toContain('written by WireApp');
    } finally {
      output.restore();
    }
  });

  test('one Secret is "this Secret"', () => {
    const backend = new MultiIngressBackend(new Chart(new App(), 'wire'), 'backend', GUIDE);
    const one = backend.expectedSecrets.slice(0, 1);
    expect(describeSecrets('wire/backend', one)).toMatch(/: create this Secret before the releases install:\n  - Secret /);
  });
});

describe('quiet', () => {
  test('a quiet WireApp prints the warnings about the input and nothing else', () => {
    const app = new WireApp({ outdir: tempDir('report-'), quiet: true });
    new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, ingressServicesValues: { ingressName: 'old' } });
    const output = captureWarnings();
    try {
      app.synth();
      const lines = output.lines();
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/: warning: /);
    } finally {
      output.restore();
    }
  });

  test('without warnings a quiet WireApp prints nothing', () => {
    const app = new WireApp({ outdir: tempDir('report-'), quiet: true });
    new MultiIngressBackend(new Chart(app, 'wire'), 'backend', GUIDE);
    const output = captureWarnings();
    try {
      app.synth();
      expect(output.lines()).toEqual([]);
    } finally {
      output.restore();
    }
  });
});
