import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyVertex } from 'cdk8s';
import { Construct } from 'constructs';
import { ArtefactFile, Artefacts, WireApp } from '../src';
import { errorOf, filesBelow, tempDir } from './util';
import { ComputedFile, duringSynthesis, writeDocuments, writeTextPieces } from '../src/artefacts';
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

/** Build the same tree in a plain cdk8s App and in a WireApp; synthesize both (or get the error each throws). */
function bothApps(build: (app: App) => void): Array<{ files: { [file: string]: string }; yaml: string; error?: string; graphs: number }> {
  // each of synth and synthYaml on a tree of its own: synthesizing adds dependencies to the tree
  return [App, WireApp].map((Kind) => {
    const outdir = tempDir('order-');
    const app = new Kind({ outdir });
    build(app);
    const other = new Kind({ outdir: tempDir('order-') });
    build(other);
    // whether cdk8s's dependency graphs are built (each adds its vertices to a root)
    const topology = jest.spyOn(DependencyVertex.prototype, 'addChild');
    try {
      app.synth();
      const files = Object.fromEntries(filesBelow(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
      return { files, yaml: other.synthYaml(), graphs: topology.mock.calls.length };
    } catch (e) {
      return { files: {}, yaml: '', error: (e as Error).message, graphs: topology.mock.calls.length };
    } finally {
      topology.mockRestore();
    }
  });
}

const configMap = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });

describe('WireApp writes the objects and charts in the order and files a plain App does', () => {
  // direct: WireApp orders the objects itself, without cdk8s's dependency graphs
  test.each<[string, boolean, (app: App) => void]>([
    [
      'objects that depend on objects after them, in chains',
      true,
      (app) => {
        const chart = new Chart(app, 'wire');
        const [a, b, c, d, e] = ['A', 'B', 'C', 'D', 'E'].map((id) => configMap(new Construct(chart, `${id}-scope`), id));
        a.addDependency(d);
        d.addDependency(e);
        b.addDependency(e, c);
        configMap(chart, 'F').addDependency(a);
      },
    ],
    [
      'charts with ids that are numbers (JavaScript lists such keys first)',
      true,
      (app) => {
        for (const id of ['b', '10', 'a', '2', '007']) configMap(new Chart(app, id), `o${id}`);
      },
    ],
    [
      'a chart inside a plain construct of another chart (each writes its own objects)',
      true,
      (app) => {
        const outer = new Chart(app, 'outer');
        configMap(outer, 'Before');
        const inner = new Chart(new Construct(outer, 'holder'), 'inner');
        configMap(inner, 'Inside');
        configMap(outer, 'After');
      },
    ],
    [
      'a chart that holds a chart (cdk8s numbers the files)',
      false,
      (app) => {
        const outer = new Chart(app, 'outer');
        configMap(outer, 'Mine');
        configMap(new Chart(outer, 'inner'), 'Theirs');
      },
    ],
    [
      'a construct, not an object, with a dependency',
      false,
      (app) => {
        const chart = new Chart(app, 'wire');
        const group = new Construct(chart, 'group');
        configMap(group, 'G1');
        configMap(group, 'G2');
        const target = configMap(chart, 'Target');
        group.node.addDependency(target);
      },
    ],
    [
      "an object that depends on another chart's",
      false,
      (app) => {
        const first = new Chart(app, 'first');
        const second = new Chart(app, 'second');
        configMap(first, 'One').addDependency(configMap(second, 'Two'));
      },
    ],
    [
      'objects that depend on each other in a cycle',
      false,
      (app) => {
        const chart = new Chart(app, 'wire');
        const [a, b] = [configMap(chart, 'A'), configMap(chart, 'B')];
        configMap(chart, 'Root');
        a.addDependency(b);
        b.addDependency(a);
      },
    ],
    [
      'a chart that renders itself its own way',
      false,
      (app) => {
        class Reversed extends Chart {
          public toJson(): any[] {
            return super.toJson().reverse();
          }
        }
        const chart = new Reversed(app, 'wire');
        configMap(chart, 'A');
        configMap(chart, 'B');
      },
    ],
  ])('%s', (_name, direct, build) => {
    const [plain, wire] = bothApps(build);
    expect({ ...wire, graphs: undefined }).toEqual({ ...plain, graphs: undefined });
    expect(plain.error ?? Object.keys(plain.files).length).toBeTruthy();
    expect(wire.graphs === 0).toBe(direct);
  });
});

describe('the writer of text pieces', () => {
  test.each<[string, string[]]>([
    ['a surrogate pair split between two pieces', ['a\ud83d', '\ude00b']],
    ['a high surrogate that ends the text', ['x', 'y\ud83d']],
    ['a high surrogate followed by no low one', ['\ud83d', 'z']],
    ['pieces that cross the buffer at every size', Array.from({ length: 4000 }, (_, i) => '€é\u{1F600}x'.repeat(i % 97))],
    ['one piece larger than the buffer', ['start', 'ü'.repeat(1024 * 1024), 'end']],
  ])('%s: the bytes of the joined text', (_name, pieces) => {
    const file = path.join(tempDir('pieces-'), 'out');
    const written = writeTextPieces(file, pieces);
    const expected = Buffer.from(pieces.join(''), 'utf8');
    expect(fs.readFileSync(file).equals(expected)).toBe(true);
    expect(written).toBe(expected.length);
  });
});

describe('computed files', () => {
  test('a computed file is computed before anything is written, and again when it is written', () => {
    const outdir = tempDir('computed-');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    let calls = 0;
    new ComputedFile(chart, 'cfg', { path: 'edge/haproxy.cfg' }, () => `global # ${++calls}\n`);
    app.synth();
    // once to check that it renders (the audit reads no file of this app), once to write it
    expect(calls).toBe(2);
    expect(fs.readFileSync(path.join(outdir, 'edge/haproxy.cfg'), 'utf8')).toBe('global # 2\n');
  });

  test('a computed file rendered earlier in the same synthesis (as the audit does) is not rendered again to check it', () => {
    const app = new WireApp({ outdir: tempDir('computed-') });
    let calls = 0;
    const file = new ComputedFile(new Chart(app, 'wire'), 'cfg', { path: 'x.cfg' }, () => `${++calls}\n`);
    file.render(); // outside any synthesis: proves nothing for the next one
    duringSynthesis(app, () => {
      Artefacts.write(app, tempDir('computed-'));
      expect(calls).toBe(3);
      file.render();
      Artefacts.write(app, tempDir('computed-'));
      expect(calls).toBe(5);
    });
  });

  test('a computed file that cannot be computed writes no file, not even one before it', () => {
    const outdir = path.join(tempDir('computed-'), 'out');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    new ArtefactFile(chart, 'a', { path: 'a.txt', content: 'a' });
    new ComputedFile(chart, 'z', { path: 'z.txt' }, () => {
      throw new Error('cannot compute z');
    });
    expect(errorOf(() => Artefacts.write(app, outdir))).toBe('cannot compute z');
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
