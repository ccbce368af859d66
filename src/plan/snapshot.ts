/**
 * A synthesis as the plan compares it: the Kubernetes objects (by kind,
 * namespace and name) and the other files (by path). Read from an earlier
 * output folder (read only) or from an app in memory (nothing is written).
 *
 * Reading is proportional to what changed: an object of the earlier output
 * whose YAML is byte for byte the one the new synthesis writes is not parsed
 * again, it is the new object.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Artefacts, WireApp } from '../artefacts';
import { readOwnYaml } from './read-yaml';
import { MARKER } from '../cli/output';
import { quote } from '../errors';
import { toYaml } from '../values/yaml';

/** The YAML library, loaded when first needed (a synth into a new folder reads no YAML). */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** One object of a synthesis. */
export interface SnapshotObject {
  /** `Kind namespace/name` (`Kind name` without a namespace). */
  readonly key: string;
  /** The object as data. */
  readonly data: any;
  /** The YAML the object is written as, when known. */
  readonly text?: string;
}

/** A synthesis: its objects and its other files. */
export interface Snapshot {
  readonly objects: ReadonlyMap<string, SnapshotObject>;
  /** Files that are not manifests, by path relative to the output folder (`/` separated). */
  readonly files: ReadonlyMap<string, string>;
}

/** A problem with the earlier output (a usage error for the command line). */
export class PreviousOutputError extends Error {}

/** The key of an object: kind, namespace and name. */
export function objectKey(o: any): string {
  const kind = String(o?.kind ?? '?');
  const name = String(o?.metadata?.name ?? '?');
  const ns = o?.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

/** The documents of a manifest file written with `---` between them, each with its final newline. */
function splitDocuments(text: string): string[] {
  const body = text.startsWith('---\n') ? text.slice(4) : text;
  if (body.trim() === '') return [];
  const parts = body.split('\n---\n');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p));
}

/**
 * Files the guard of `synth` does not compare: the audit reports (tens of
 * megabytes at thousands of domains) hold no release, entry point or DNS
 * record, so no danger.
 */
export function isReport(file: string): boolean {
  return file.startsWith('audit/');
}

/**
 * The synthesis of `app` in memory: what `synth()` would write, without
 * writing it; without the files `skip` names.
 */
export function snapshotOfApp(app: App, skip: (file: string) => boolean = () => false): Snapshot {
  const objects = new Map<string, SnapshotObject>();
  for (const chart of app.charts) {
    for (const data of chart.toJson()) {
      if (data === undefined || data === null) continue;
      const key = objectKey(data);
      objects.set(key, { key, data, text: toYaml(data) });
    }
  }
  // a WireApp writes the artefact files next to the manifests; a plain App does not
  const files = new Map<string, string>();
  if (app instanceof WireApp) for (const f of Artefacts.of(app)) if (!skip(f.path)) files.set(f.path, f.render());
  return { objects, files };
}

/** Every regular file below `dir`, relative with `/`, sorted. */
function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** Whether `dir` holds an earlier output (its marker). */
export function isEarlierOutput(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, MARKER)).isFile();
  } catch {
    return false;
  }
}

/**
 * Read the earlier output in `dir` (read only). Objects whose YAML equals an
 * object of `next` are taken from `next` without parsing. With
 * `requireMarker`, a folder without the marker of a synth is refused. The
 * files `skip` names are not read.
 */
export function snapshotOfDir(dir: string, next?: Snapshot, requireMarker = true, skip: (file: string) => boolean = () => false): Snapshot {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (!stat || !stat.isDirectory()) {
    throw new PreviousOutputError(`${quote(dir)} is not valid as the earlier output: it is not a folder; expected the --out folder of an earlier synth`);
  }
  if (requireMarker && !isEarlierOutput(dir)) {
    throw new PreviousOutputError(
      `${quote(dir)} is not valid as the earlier output: it has no ${MARKER} file, so it was not written by a synth of cdk8s-wire-multi-ingress; expected the --out folder of an earlier synth`,
    );
  }
  const byText = new Map<string, SnapshotObject>();
  for (const o of next?.objects.values() ?? []) {
    if (o.text !== undefined) byText.set(o.text, o);
  }
  const objects = new Map<string, SnapshotObject>();
  const files = new Map<string, string>();
  for (const rel of listFiles(dir)) {
    if (rel === MARKER || skip(rel)) continue;
    const file = path.join(dir, ...rel.split('/'));
    if (!rel.includes('/') && rel.endsWith('.k8s.yaml')) {
      const invalid = (problem: string) => new PreviousOutputError(`${quote(file)} is not valid as the earlier output: ${problem}; ${RECOVER}`);
      // the guard trusts what it reads here: a damaged manifest is refused, never read as fewer objects
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
      } catch {
        throw invalid('it is not UTF-8 text, as synth writes it');
      }
      const documents = splitDocuments(text);
      let line = text.startsWith('---\n') ? 2 : 1; // where the document starts in the file
      for (let i = 0; i < documents.length; line += lineCount(documents[i]) + 1, i++) {
        const doc = documents[i];
        const same = byText.get(doc);
        if (same) {
          objects.set(same.key, same);
          continue;
        }
        let data: unknown = readOwnYaml(doc);
        if (data === undefined) {
          const parsed = yaml().parseAllDocuments(doc, { uniqueKeys: false });
          const bad = parsed.find((d) => d.errors.length > 0)?.errors[0];
          if (bad) {
            const at = bad.linePos?.[0].line;
            throw invalid(`line ${line + (at === undefined ? 0 : at - 1)}: ${bad.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
          }
          if (parsed.length !== 1) throw invalid(`document ${i + 1} (line ${line}) is ${parsed.length} documents, not one`);
          data = parsed[0].toJSON();
        }
        const problem = notAnObject(data);
        if (problem !== undefined) throw invalid(`document ${i + 1} (line ${line}) ${problem}`);
        const key = objectKey(data);
        objects.set(key, { key, data, text: doc });
      }
    } else {
      files.set(rel, fs.readFileSync(file, 'utf8'));
    }
  }
  return { objects, files };
}

/** The lines of a document that ends with its line break (the last may not). */
function lineCount(doc: string): number {
  let n = doc.endsWith('\n') ? 0 : 1;
  for (let i = doc.indexOf('\n'); i !== -1; i = doc.indexOf('\n', i + 1)) n++;
  return n;
}

/** What to do about an earlier output that cannot be read. */
const RECOVER = 'expected the manifests as synth wrote them: restore the folder (from version control or a backup) to compare with it, or move it away to synth without the comparison';

/** Why a manifest document is not a Kubernetes object as synth writes one, or undefined when it is. */
function notAnObject(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return `is ${data === null || data === undefined ? 'empty' : Array.isArray(data) ? 'a list' : `a ${typeof data}`}: expected a Kubernetes object (apiVersion, kind, metadata.name)`;
  }
  const o = data as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const missing = [
    ...(typeof o.apiVersion === 'string' && o.apiVersion !== '' ? [] : ['apiVersion']),
    ...(typeof o.kind === 'string' && o.kind !== '' ? [] : ['kind']),
    ...(typeof o.metadata?.name === 'string' && o.metadata.name !== '' ? [] : ['metadata.name']),
  ];
  return missing.length === 0 ? undefined : `has no ${missing.join(', ')}: expected a Kubernetes object (apiVersion, kind, metadata.name)`;
}
