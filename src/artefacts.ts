import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { quote } from './errors';
import { markReportingApp, printSecretsAfterSynth } from './report';
import { toYamlDocuments } from './values/yaml';

const ARTEFACT = Symbol.for('cdk8s-wire-multi-ingress.ArtefactFile');

/** Apps whose construct tree is being synthesized, with a number per synthesis. */
const frozen = new WeakMap<IConstruct, number>();
let synthesisCount = 0;

/**
 * Run `fn` while the app of `scope` is being synthesized: its construct tree
 * and objects do not change until `fn` returns, so what is computed from them
 * (the unlinkability audit) may be computed once and reused. Nested calls
 * share the outer synthesis.
 */
export function duringSynthesis<T>(scope: IConstruct, fn: () => T): T {
  const root = scope.node.root;
  if (frozen.has(root)) {
    return fn();
  }
  const synthesis = ++synthesisCount;
  frozen.set(root, synthesis);
  try {
    return fn();
  } finally {
    frozen.delete(root);
    renderings.delete(synthesis);
  }
}

/** The JSON of each `RenderedObject`, per synthesis in progress (dropped when it ends). */
const renderings = new Map<number, WeakMap<RenderedObject, any>>();

/** Drop the JSON rendered so far in the synthesis of `scope` (once the manifests are written, it is not read again). */
function forgetRenderings(scope: IConstruct): void {
  const synthesis = synthesisOf(scope);
  if (synthesis !== undefined) renderings.delete(synthesis);
}

/** The number of the synthesis the app of `scope` is in, if it is being synthesized by `duringSynthesis`. */
export function synthesisOf(scope: IConstruct): number | undefined {
  return frozen.get(scope.node.root);
}

/**
 * An ApiObject whose JSON is rendered once per synthesis: while its app is
 * being synthesized (see `duringSynthesis`) nothing changes, so the checks
 * that read the output (the audit) and the writing of the manifests share
 * one rendering.
 */
export class RenderedObject extends ApiObject {
  public toJson(): any {
    const synthesis = synthesisOf(this);
    if (synthesis === undefined) {
      return super.toJson();
    }
    let rendered = renderings.get(synthesis);
    if (rendered === undefined) {
      rendered = new WeakMap();
      renderings.set(synthesis, rendered);
    }
    let json = rendered.get(this);
    if (json === undefined) {
      json = super.toJson();
      rendered.set(this, json);
    }
    return json;
  }
}

/** Properties of a file written next to the manifests. */
export interface ArtefactFileProps {
  /**
   * Path of the file relative to the output folder, with `/` as separator,
   * e.g. `edge/red.example.com/haproxy.cfg`.
   */
  readonly path: string;

  /**
   * Content of the file (UTF-8). Subclasses that compute their content at
   * synth time override `render()` instead.
   *
   * @default ''
   */
  readonly content?: string;

  /**
   * Make the file executable (mode 0755 instead of 0644).
   *
   * @default false
   */
  readonly executable?: boolean;
}

/**
 * A file that is not a Kubernetes manifest (an HAProxy configuration, a DNS
 * zone snippet, a values file, a report), written next to the manifests when
 * the app is synthesized with `WireApp` or `Artefacts.write()`.
 */
export class ArtefactFile extends Construct {
  /** Whether `x` is an `ArtefactFile`. */
  public static isArtefactFile(x: any): x is ArtefactFile {
    return x !== null && typeof x === 'object' && ARTEFACT in x;
  }

  /** Path relative to the output folder. */
  public readonly path: string;
  /** Whether the file is written executable. */
  public readonly executable: boolean;
  private readonly content: string;

  public constructor(scope: Construct, id: string, props: ArtefactFileProps) {
    super(scope, id);
    Object.defineProperty(this, ARTEFACT, { value: true });
    const problem = pathProblem(props.path);
    if (problem) {
      throw new Error(`artefact path ${quote(props.path)} is not valid: ${problem}`);
    }
    this.path = props.path;
    this.executable = props.executable ?? false;
    this.content = props.content ?? '';
  }

  /**
   * The content in pieces, for a file too large to hold whole (the audit
   * report at thousands of domains): written piece by piece by
   * `Artefacts.write`. Undefined: written from `render()`.
   *
   * @internal
   */
  public _renderPieces(): Iterable<string> | undefined {
    return undefined;
  }

  /**
   * Render the file to check that it renders, before any file is written:
   * the text to write, or undefined when the file is rendered again to be
   * written (its text is not held meanwhile).
   *
   * @internal
   */
  public _renderBeforeWriting(): string | undefined {
    return this.render();
  }

  /** The file's content, computed when the app is synthesized. */
  public render(): string {
    return this.content;
  }
}

/**
 * A file whose content is computed from checked inputs each time it is read
 * (the edge files of a domain's VPS), not held: at thousands of domains the
 * texts would stay in memory from the construction of the app to its end.
 * `Artefacts.write` still renders it before it writes the first file (so a
 * failure writes nothing), unless it was rendered already in the same
 * synthesis (by the audit: nothing changes during one), then again when it
 * writes it.
 */
export class ComputedFile extends ArtefactFile {
  /** The synthesis (see `duringSynthesis`) in which the file was last rendered. */
  private renderedIn?: number;

  public constructor(scope: Construct, id: string, props: ArtefactFileProps, private readonly compute: () => string) {
    super(scope, id, props);
  }

  public render(): string {
    const text = this.compute();
    this.renderedIn = synthesisOf(this);
    return text;
  }

  public _renderBeforeWriting(): undefined {
    // rendered in the synthesis in progress: it renders
    if (this.renderedIn === undefined || this.renderedIn !== synthesisOf(this)) this.render();
    return undefined;
  }
}

/** What `Artefacts.write()` wrote. */
export interface WrittenArtefact {
  /** Path relative to the output folder. */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/** Collecting and writing the `ArtefactFile`s of an app. */
export class Artefacts {
  /**
   * Every `ArtefactFile` in `scope`, sorted by path. Two files with the same
   * path are an error.
   */
  public static of(scope: IConstruct): ArtefactFile[] {
    const files = scope.node.findAll().filter(ArtefactFile.isArtefactFile);
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const clashes: string[] = [];
    for (let i = 1; i < files.length; i++) {
      if (files[i].path === files[i - 1].path) {
        clashes.push(`${quote(files[i].path)} (${files[i - 1].node.path} and ${files[i].node.path})`);
      }
    }
    if (clashes.length > 0) {
      throw new Error(`two artefacts would be written to the same file: ${clashes.join(', ')}`);
    }
    return files;
  }

  /**
   * Render every `ArtefactFile` in `scope` and write it below `outdir`.
   * Every file is rendered before the first one is written, so a failure
   * writes nothing.
   *
   * @param scope the app (or any construct) whose artefacts to write
   * @param outdir the output folder
   */
  public static write(scope: IConstruct, outdir: string): WrittenArtefact[] {
    const files = Artefacts.of(scope);
    const folders = new Set<string>();
    const created: string[] = [];
    const folderOf = (file: ArtefactFile): string => {
      const target = path.join(outdir, ...file.path.split('/'));
      const folder = path.dirname(target);
      if (!folders.has(folder)) {
        const first = fs.mkdirSync(folder, { recursive: true });
        if (first !== undefined) created.push(first);
        folders.add(folder);
      }
      return target;
    };
    const modeOf = (file: ArtefactFile) => (file.executable ? 0o755 : 0o644);
    // files rendered in pieces are written first, each beside its place, and take their names last
    const staging = new Staging();
    const bytes = new Map<ArtefactFile, number>();
    let rendered: Array<{ readonly file: ArtefactFile; readonly data?: string }>;
    try {
      for (const file of files) {
        const pieces = file._renderPieces();
        if (pieces !== undefined) bytes.set(file, staging.write(folderOf(file), pieces, modeOf(file)));
      }
      // every other file is rendered (as text: most of it is held by the files already) before one is written;
      // a computed file's text is computed again when it is written
      rendered = files.filter((f) => !bytes.has(f)).map((f) => ({ file: f, data: f._renderBeforeWriting() }));
    } catch (e) {
      staging.discard();
      for (const folder of created) fs.rmSync(folder, { recursive: true, force: true });
      throw e;
    }
    for (const { file, data } of rendered) {
      const text = data ?? file.render();
      writeWithMode(folderOf(file), text, modeOf(file));
      bytes.set(file, Buffer.byteLength(text, 'utf8'));
    }
    staging.commit();
    return files.map((file) => ({ path: file.path, bytes: bytes.get(file)! }));
  }
}

/** How much YAML is gathered before it is written. */
const WRITE_CHUNK = 1024 * 1024;

/**
 * Write `toYamlDocuments(docs)` to `file`, document by document: the same
 * bytes, without the whole text in memory.
 */
export function writeDocuments(file: string, docs: readonly any[]): void {
  writeTextPieces(file, documentPieces(docs));
}

/** Each document as `toYamlDocuments` writes it, after the separator (`---`) when it is not the first. */
function* documentPieces(docs: Iterable<any>): Iterable<string> {
  let first = true;
  for (const doc of docs) {
    yield (first ? '' : '---\n') + toYamlDocuments([doc]);
    first = false;
  }
}

/**
 * Files written beside their places under a passing name
 * (`.<name>.partial-<pid>`), a piece at a time, that take their names
 * together once all are written, or are removed.
 */
class Staging {
  private readonly files: Array<{ readonly partial: string; readonly target: string; readonly mode?: number }> = [];

  /** Write `pieces` beside `target` (with `mode` once it takes its name); the number of bytes. */
  public write(target: string, pieces: Iterable<string>, mode?: number): number {
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
    this.files.push({ partial, target, mode }); // before writing: a failure part way removes it too
    return writeTextPieces(partial, pieces);
  }

  /** Remove every file written. */
  public discard(): void {
    for (const { partial } of this.files) fs.rmSync(partial, { force: true });
  }

  /** Give every file its name (and its mode). */
  public commit(): void {
    for (const { partial, target, mode } of this.files) {
      fs.renameSync(partial, target);
      if (mode !== undefined) fs.chmodSync(target, mode);
    }
  }
}

/**
 * Write the pieces of a text to `file` as they come, a chunk at a time; the
 * number of bytes written. The pieces are encoded into one buffer that is
 * reused, not joined into a string per chunk and copied into a new buffer.
 */
export function writeTextPieces(file: string, pieces: Iterable<string>): number {
  const fd = fs.openSync(file, 'w');
  let total = 0;
  try {
    const buffer = Buffer.allocUnsafe(WRITE_CHUNK);
    let used = 0;
    const flush = () => {
      for (let offset = 0; offset < used; ) offset += fs.writeSync(fd, buffer, offset, used - offset);
      total += used;
      used = 0;
    };
    // a high surrogate that ends a piece is encoded with the piece that follows (as one text would be)
    let held = '';
    const put = (text: string) => {
      // a UTF-16 code unit takes at most three bytes in UTF-8
      if (text.length * 3 > WRITE_CHUNK - used) flush();
      if (text.length * 3 > WRITE_CHUNK) {
        const bytes = Buffer.from(text, 'utf8');
        for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
        total += bytes.length;
      } else {
        used += buffer.write(text, used, 'utf8');
      }
    };
    for (const piece of pieces) {
      let text = held === '' ? piece : held + piece;
      held = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        held = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (text.length > 0) put(text);
    }
    if (held !== '') put(held);
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

/**
 * Write `data` to `target` with exactly `mode`: a new file gets it when it is
 * created, unless the umask takes bits away; a file that was there keeps its
 * own mode until it is set. (One system call fewer per file at thousands of
 * files than setting the mode every time.)
 */
function writeWithMode(target: string, data: string, mode: number): void {
  try {
    fs.writeFileSync(target, data, { mode, flag: 'wx' });
    // file mode bits: the umask took none of them
    // eslint-disable-next-line no-bitwise
    if ((mode & currentUmask()) === 0) return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    fs.writeFileSync(target, data);
  }
  fs.chmodSync(target, mode);
}

/** The process's umask (every bit, so that the mode is always set, where it cannot be read). */
function currentUmask(): number {
  try {
    return process.umask();
  } catch {
    return 0o777;
  }
}

/** Options of a `WireApp`: those of a cdk8s `App`, and what it prints. */
export interface WireAppProps extends AppProps {
  /**
   * Print nothing but errors and the warnings about the input (base values
   * removed or overridden, risky combinations): neither the audit's summary
   * (it is in the report files) nor the list of Secrets to create.
   *
   * @default false
   */
  readonly quiet?: boolean;
}

/**
 * A cdk8s `App` that also writes the `ArtefactFile`s (edge-proxy
 * configurations, DNS records, values files, reports) below `outdir` after
 * the manifests. Validation runs before anything is written.
 *
 * With the default output (one file per chart), the manifests are written
 * with the library's own YAML writer, which is several times faster than the
 * general one at thousands of objects; the objects, their order, the file
 * names and the bytes are cdk8s' own, except for the rare strings that
 * Kubernetes' YAML reader (go-yaml) would misread as cdk8s writes them
 * (numbers only Go reads such as `0o17`, the key `<<`, some control and line
 * break characters, blank-only or tab-first multi-line text). Other output
 * types use cdk8s' synth unchanged.
 */
export class WireApp extends App {
  private readonly recordMetadata: boolean;

  public constructor(props: WireAppProps = {}) {
    super(props);
    this.recordMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
    markReportingApp(this, props.quiet ?? false);
  }

  /** Synthesize the manifests, then write the artefacts. */
  public synth(): void {
    duringSynthesis(this, () => this.synthNow());
    // only once everything is written: a failed synthesis lists nothing to prepare
    printSecretsAfterSynth(this);
  }

  private synthNow(): void {
    Artefacts.of(this); // refuse clashing paths before anything is written
    const charts = this.ownWriting();
    if (charts === undefined) {
      super.synth();
      Artefacts.write(this, this.outdir);
      return;
    }
    this.writeManifests(charts);
    forgetRenderings(this);
    // neither the manifests' text nor the objects' JSON is held while the other files are rendered
    Artefacts.write(this, this.outdir);
  }

  private writeManifests(charts: readonly ChartToWrite[]): void {
    // each chart is written as it is rendered, beside its file; the files take their names only once every
    // chart is rendered, so a failure leaves no manifest (and at thousands of objects no file is held whole)
    fs.mkdirSync(this.outdir, { recursive: true });
    const staging = new Staging();
    try {
      for (const c of charts) {
        staging.write(path.join(this.outdir, `${Names.toDnsLabel(c.chart)}${this.outputFileExtension}`), documentPieces(chartJson(c)));
      }
    } catch (e) {
      staging.discard();
      throw e;
    }
    staging.commit();
  }

  /** All manifests as one YAML string, written the way `synth()` writes them. */
  public synthYaml(): string {
    return duringSynthesis(this, () => this.synthYamlNow());
  }

  private synthYamlNow(): string {
    const charts = this.ownWriting();
    return charts === undefined ? super.synthYaml() : toYamlDocuments(charts.flatMap((c) => [...chartJson(c)]));
  }

  /**
   * The charts WireApp writes itself, in cdk8s's order, validated as cdk8s
   * validates them; `undefined` when cdk8s writes the app: output other than
   * one file per chart, construct metadata, or files cdk8s numbers (a chart
   * that depends on another or holds one).
   */
  private ownWriting(): ChartToWrite[] | undefined {
    if (this.yamlOutputType !== YamlOutputType.FILE_PER_CHART || this.recordMetadata) {
      return undefined;
    }
    const direct = directCharts(this);
    if (direct !== undefined) {
      validateOnce(this);
      return direct;
    }
    // a dependency graph of the whole app: built once; each chart renders itself (cdk8s validates there)
    const charts = this.charts;
    return numbersChartFiles(charts) ? undefined : charts.map((chart) => ({ chart }));
  }
}

/** A chart to write, with its objects in cdk8s's order when WireApp ordered them (else the chart renders itself). */
interface ChartToWrite {
  readonly chart: Chart;
  readonly objects?: readonly ApiObject[];
}

/** The JSON of a chart's objects; each of the objects WireApp ordered is rendered only when it is asked for. */
function* chartJson(c: ChartToWrite): Iterable<any> {
  if (c.objects === undefined) {
    yield* c.chart.toJson();
    return;
  }
  for (const o of c.objects) yield o.toJson();
}

/**
 * The charts of `app` and their objects in the order cdk8s writes them,
 * without building cdk8s's dependency graphs (one of the whole app per
 * chart), when that order follows plainly from the construct tree: every
 * dependency is one object's on another object of its chart (with no object
 * below either), no chart is a child of a chart, no chart renders itself its
 * own way, and the dependencies have no cycle. `undefined` otherwise: cdk8s
 * then orders (or refuses) the app itself.
 *
 * cdk8s keys a graph's vertices by construct path and lists them in key
 * order, integer-like keys first as JavaScript does: a chart whose id is such
 * a number comes first, as it does there. A chart's objects come in the order
 * of the tree, each after what it depends on (depth first, as
 * `DependencyVertex.topology` visits them).
 */
function directCharts(app: App): ChartToWrite[] | undefined {
  const charts: Chart[] = [];
  const hasObjectsBelow = (c: IConstruct) => c.node.children.length > 0 && c.node.findAll().some((x) => x !== c && x instanceof ApiObject);
  for (const c of app.node.findAll()) {
    for (const d of c.node.dependencies) {
      const between = c instanceof ApiObject && d instanceof ApiObject && Chart.of(c) === Chart.of(d);
      if (!between || hasObjectsBelow(c) || hasObjectsBelow(d)) return undefined;
    }
    if (c instanceof Chart) {
      if (c.toJson !== Chart.prototype.toJson || c.node.children.some((child) => child instanceof Chart)) return undefined;
      charts.push(c);
    }
  }
  const arrayIndex = (c: Chart) => /^(0|[1-9][0-9]*)$/.test(c.node.path) && Number(c.node.path) < 2 ** 32 - 1;
  const numbered = charts.filter(arrayIndex).sort((a, b) => Number(a.node.path) - Number(b.node.path));
  const ordered: ChartToWrite[] = [];
  for (const chart of [...numbered, ...charts.filter((c) => !arrayIndex(c))]) {
    const objects = objectOrder(chart);
    if (objects === undefined) return undefined;
    ordered.push({ chart, objects });
  }
  return ordered;
}

/** A chart's own objects (not those of a chart inside it) in cdk8s's order; `undefined` when they depend on each other in a cycle. */
function objectOrder(chart: Chart): ApiObject[] | undefined {
  const own: ApiObject[] = [];
  const visitTree = (c: IConstruct) => {
    if (c instanceof ApiObject) own.push(c);
    for (const child of c.node.children) {
      if (!(child instanceof Chart)) visitTree(child);
    }
  };
  visitTree(chart);
  const dependedOn = new Set<IConstruct>();
  for (const o of own) for (const d of o.node.dependencies) dependedOn.add(d);
  if (dependedOn.size === 0) return own;
  const ordered: ApiObject[] = [];
  const placed = new Set<IConstruct>();
  const visiting = new Set<IConstruct>();
  let cycle = false;
  const visit = (o: ApiObject) => {
    if (placed.has(o) || cycle) return;
    if (visiting.has(o)) {
      cycle = true;
      return;
    }
    visiting.add(o);
    for (const d of o.node.dependencies) visit(d as ApiObject);
    visiting.delete(o);
    placed.add(o);
    ordered.push(o);
  };
  for (const o of own) if (!dependedOn.has(o)) visit(o);
  // an object that only a cycle reaches is never placed
  return cycle || ordered.length !== own.length ? undefined : ordered;
}

/** What cdk8s runs before it renders a chart: every construct's validations, the errors in its words. */
function validateOnce(app: App): void {
  const errors: string[] = [];
  for (const c of app.node.findAll()) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * The manifest file each chart of `app` is written to, in the order the
 * charts are written (dependencies first), as cdk8s and `WireApp` name them:
 * `<chart>.k8s.yaml`, or `0000-<chart>.k8s.yaml`... when a chart depends on
 * another or holds one. `undefined` when the app does not write one file per
 * chart.
 */
export function manifestFiles(app: App): Array<{ readonly chart: Chart; readonly file: string }> | undefined {
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART) {
    return undefined;
  }
  const charts = app.charts;
  const indexed = numbersChartFiles(charts);
  return charts.map((chart, i) => ({
    chart,
    file: `${indexed ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}${app.outputFileExtension}`,
  }));
}

/**
 * Whether cdk8s numbers the manifest files of these charts (`0000-<chart>`):
 * when a chart depends on another, or holds one (cdk8s makes it depend on
 * the charts it holds, when it synthesizes).
 */
function numbersChartFiles(charts: readonly Chart[]): boolean {
  const chartOf = (c: IConstruct): Chart | undefined => {
    try {
      return Chart.of(c);
    } catch {
      return undefined;
    }
  };
  return charts.some(
    (chart) =>
      chart.node.children.some((c) => c instanceof Chart) || chart.node.findAll().some((c) => c.node.dependencies.some((d) => chartOf(d) !== chart)),
  );
}

function pathProblem(p: string): string | undefined {
  if (typeof p !== 'string' || p.length === 0) {
    return 'expected a non-empty relative path';
  }
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) {
    return 'expected a relative path';
  }
  if (p.includes('\\')) {
    return 'expected "/" as separator';
  }
  const parts = p.split('/');
  if (parts.some((s) => s === '' || s === '.' || s === '..')) {
    return 'expected no empty, "." or ".." segments';
  }
  if (/[\u0000-\u001f]/.test(p)) {
    return 'expected no control characters';
  }
  return undefined;
}
