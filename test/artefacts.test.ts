import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { ArtefactFile, Artefacts, WireApp } from '../src';
import { errorOf, filesBelow, tempDir } from './util';
import { writeDocuments } from '../src/artefacts';
import { toYamlDocuments } from '../src/values/yaml';

function modeOf(dir: string, file: string): number {
  return fs.statSync(path.join(dir, file)).mode % 0o1000;
}

describe('artefact files', () => {
  test('WireApp writes manifests and artefacts, with the mode asked for', () => {
    const outdir = tempDir('artefacts-');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    new ArtefactFile(chart, 'cfg', { path: 'edge/red.example.com/haproxy.cfg', content: 'global\n' });
    new ArtefactFile(chart, 'sh', { path: 'deploy.sh', content: '#!/bin/sh\n', executable: true });
    app.synth();
    expect(filesBelow(outdir)).toEqual(['deploy.sh', 'edge/red.example.com/haproxy.cfg', 'wire.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'edge/red.example.com/haproxy.cfg'), 'utf8')).toBe('global\n');
    expect(modeOf(outdir, 'deploy.sh')).toBe(0o755);
    expect(modeOf(outdir, 'edge/red.example.com/haproxy.cfg')).toBe(0o644);
  });

  test.each([
    ['under a umask that takes the read bits of others away', 0o077, false],
    ['over files of the same paths with other modes', 0o022, true],
  ])('the modes are exactly those asked for %s', (_name, mask, over) => {
    const outdir = tempDir('artefacts-');
    if (over) {
      fs.mkdirSync(path.join(outdir, 'edge'));
      fs.writeFileSync(path.join(outdir, 'deploy.sh'), 'old', { mode: 0o600 });
      fs.writeFileSync(path.join(outdir, 'edge', 'haproxy.cfg'), 'old', { mode: 0o777 });
      fs.chmodSync(path.join(outdir, 'edge', 'haproxy.cfg'), 0o777);
    }
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new ArtefactFile(chart, 'cfg', { path: 'edge/haproxy.cfg', content: 'global\n' });
    new ArtefactFile(chart, 'sh', { path: 'deploy.sh', content: '#!/bin/sh\n', executable: true });
    const before = process.umask(mask);
    try {
      app.synth();
    } finally {
      process.umask(before);
    }
    expect(modeOf(outdir, 'deploy.sh')).toBe(0o755);
    expect(modeOf(outdir, 'edge/haproxy.cfg')).toBe(0o644);
    expect(fs.readFileSync(path.join(outdir, 'edge/haproxy.cfg'), 'utf8')).toBe('global\n');
  });

  test('manifests are written document by document with the bytes of the whole text', () => {
    const dir = tempDir('artefacts-');
    const big = Array.from({ length: 3000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { text: 'é€ x'.repeat(200 + (i % 7)) } }));
    const cases: any[][] = [[], [{ a: 1 }], [undefined, { a: 'b' }, undefined], big];
    cases.forEach((docs, i) => {
      const file = path.join(dir, `${i}.yaml`);
      writeDocuments(file, docs);
      expect(fs.readFileSync(file).equals(Buffer.from(toYamlDocuments(docs), 'utf8'))).toBe(true);
    });
    // more than one write's worth (1 MiB), so the chunks are joined at their seams
    expect(fs.statSync(path.join(dir, '3.yaml')).size).toBeGreaterThan(2 * 1024 * 1024);
  });

  test('a chart that cannot be written leaves no manifest, whole or partial, of any chart', () => {
    const outdir = tempDir('artefacts-');
    const app = new WireApp({ outdir });
    new ApiObject(new Chart(app, 'first'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    // half a surrogate pair: no YAML reader accepts it, so the writer refuses it
    new ApiObject(new Chart(app, 'second'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' }, data: { k: 'a\ud800b' } });
    expect(errorOf(() => app.synth())).toContain('half a UTF-16 surrogate pair');
    expect(filesBelow(outdir)).toEqual([]);
  });

  test('content computed at synth time by a subclass', () => {
    class Counted extends ArtefactFile {
      public render(): string {
        return `${this.node.scope!.node.children.length} children\n`;
      }
    }
    const outdir = tempDir('artefacts-');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new Counted(chart, 'report', { path: 'report.txt' });
    new ArtefactFile(chart, 'later', { path: 'later.txt' });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'report.txt'), 'utf8')).toBe('2 children\n');
  });

  test('a failed validation writes no manifest and no artefact', () => {
    const outdir = path.join(tempDir('artefacts-'), 'out');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new ArtefactFile(chart, 'cfg', { path: 'edge/haproxy.cfg', content: 'x' });
    chart.node.addValidation({ validate: () => ['broken on purpose'] });
    expect(errorOf(() => app.synth())).toContain('broken on purpose');
    expect(filesBelow(outdir)).toEqual([]);
  });

  test('two artefacts with one path are refused before anything is written', () => {
    const outdir = path.join(tempDir('artefacts-'), 'out');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new ArtefactFile(chart, 'a', { path: 'same.txt', content: 'a' });
    new ArtefactFile(chart, 'b', { path: 'same.txt', content: 'b' });
    expect(errorOf(() => app.synth())).toBe('two artefacts would be written to the same file: "same.txt" (wire/a and wire/b)');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test.each([
    ['', 'expected a non-empty relative path'],
    ['/etc/passwd', 'expected a relative path'],
    ['edge/../../x', 'expected no empty, "." or ".." segments'],
    ['edge//x', 'expected no empty, "." or ".." segments'],
    ['edge\\x', 'expected "/" as separator'],
  ])('path %j is refused', (p, expected) => {
    const chart = new Chart(new WireApp({ outdir: tempDir('artefacts-') }), 'wire');
    expect(errorOf(() => new ArtefactFile(chart, 'x', { path: p }))).toBe(`artefact path ${JSON.stringify(p)} is not valid: ${expected}`);
  });

  test('a file written in pieces is written whole, and one that fails part way leaves nothing, not even its folder', () => {
    class InPieces extends ArtefactFile {
      public constructor(scope: Chart, id: string, filePath: string, private readonly failAfter?: number) {
        super(scope, id, { path: filePath });
      }
      public *_renderPieces(): Generator<string> {
        for (let i = 0; i < 5; i++) {
          if (i === this.failAfter) throw new Error('cannot render');
          yield 'piece '.repeat(300_000) + `${i}\n`; // more than one write's worth in all
        }
      }
      public render(): string {
        return [...this._renderPieces()].join('');
      }
    }
    const whole = tempDir('artefacts-');
    const fine = new Chart(new WireApp({ outdir: whole }), 'wire');
    new InPieces(fine, 'big', 'report/big.txt');
    new ArtefactFile(fine, 'a', { path: 'a.txt', content: 'a' });
    const written = Artefacts.write(fine, whole);
    const expected = Array.from({ length: 5 }, (_, i) => 'piece '.repeat(300_000) + `${i}\n`).join('');
    expect(fs.readFileSync(path.join(whole, 'report', 'big.txt'), 'utf8')).toBe(expected);
    expect(written).toEqual([
      { path: 'a.txt', bytes: 1 },
      { path: 'report/big.txt', bytes: Buffer.byteLength(expected) },
    ]);
    expect(filesBelow(whole)).toEqual(['a.txt', 'report/big.txt']);
    expect(modeOf(whole, 'report/big.txt')).toBe(0o644);

    const outdir = path.join(tempDir('artefacts-'), 'out');
    const failing = new Chart(new WireApp({ outdir }), 'wire');
    new InPieces(failing, 'ok', 'report/ok.txt');
    new InPieces(failing, 'bad', 'report/deeper/bad.txt', 3);
    new ArtefactFile(failing, 'a', { path: 'a.txt', content: 'a' });
    expect(errorOf(() => Artefacts.write(failing, outdir))).toBe('cannot render');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('Artefacts.write renders everything before writing', () => {
    class Failing extends ArtefactFile {
      public render(): string {
        throw new Error('cannot render');
      }
    }
    const outdir = path.join(tempDir('artefacts-'), 'out');
    const chart = new Chart(new WireApp({ outdir }), 'wire');
    new ArtefactFile(chart, 'a', { path: 'a.txt', content: 'a' });
    new Failing(chart, 'z', { path: 'z.txt' });
    expect(errorOf(() => Artefacts.write(chart, outdir))).toBe('cannot render');
    expect(filesBelow(outdir)).toEqual([]);
  });
});
