import { createHash } from 'crypto';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RenderedObject } from '../artefacts';
import { quote } from '../errors';
import { ExpectedSecret, ReleaseSpec } from './release-spec';
import { setOwn } from '../values/merge';

/** Labels on every object a release format emits. */
export const RELEASE_LABELS: { [key: string]: string } = {
  'app.kubernetes.io/managed-by': 'cdk8s-wire-multi-ingress',
  'app.kubernetes.io/part-of': 'wire',
};

/** A Go duration as Helm, Flux and the helm-controller accept it, e.g. `15m0s`. */
const DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;

/** Throw when `value` is not a duration such as `15m0s`. */
export function checkDuration(option: string, value: string): string {
  if (typeof value !== 'string' || !DURATION.test(value)) {
    throw new Error(`${option} ${quote(value)} is not valid: expected a duration such as "15m0s" or "1h"`);
  }
  return value;
}

/**
 * The order in which releases rendered into one chart install: a release's
 * stage is one more than the highest stage of the releases it depends on
 * (0 when it depends on none). Kept per chart, so one format object can serve
 * several apps.
 */
export class ReleaseOrder {
  private readonly stages = new WeakMap<IConstruct, Map<string, number>>();

  /** Record `release` rendered into `scope` and return its stage and the known releases it depends on. */
  public add(scope: IConstruct, release: ReleaseSpec): { stage: number; dependsOn: string[] } {
    const chart = Chart.of(scope);
    let known = this.stages.get(chart);
    if (!known) {
      known = new Map();
      this.stages.set(chart, known);
    }
    const dependsOn = (release.dependsOn ?? []).filter((name) => known!.has(name));
    const stage = dependsOn.reduce((max, name) => Math.max(max, known!.get(name)! + 1), 0);
    known.set(release.releaseName, stage);
    return { stage, dependsOn };
  }
}

/**
 * A Kubernetes object name derived from a repository URL: host and path with
 * every other character as a hyphen, cut to 63 characters with a hash when
 * longer.
 */
export function repositoryObjectName(url: string): string {
  const slug = url
    .replace(/^[a-z]+:\/\//i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length <= 63 ? slug : `${slug.slice(0, 54).replace(/-+$/, '')}-${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
}

/**
 * Put Helm values into `object` at `pointer` (a JSON pointer such as
 * `/spec/values`). cdk8s drops `null` when it renders an object, but a `null`
 * in Helm values removes a chart default, so the values go in as a JSON patch,
 * which is applied after rendering: keys sorted, `null` kept.
 */
export function setHelmValues(object: ApiObject, pointer: string, values: { [key: string]: any }): void {
  object.addJsonPatch(JsonPatch.add(pointer, sortedValues(values)));
}

function sortedValues(value: any): any {
  if (Array.isArray(value)) {
    return value.map(sortedValues);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) {
      setOwn(out, key, sortedValues(value[key]));
    }
  }
  return out;
}

/** Whether a chart repository is an OCI registry (`oci://registry/path`). */
export function isOciRepository(url: string): boolean {
  return url.startsWith('oci://');
}

/** The chart reference of an OCI registry: `oci://registry/path/chart`. */
export function ociChartReference(url: string, chart: string): string {
  return `${url.replace(/\/+$/, '')}/${chart}`;
}

/** An ApiObject of a release format, its JSON rendered once per synthesis (see `RenderedObject`). */
export class ReleaseObject extends RenderedObject {}

/** The Secrets a release reads its secret values from, in `namespace` (formats that read Secrets). */
export function secretsInNamespace(namespace: string, release: ReleaseSpec): ExpectedSecret[] {
  return release.secretValues.map((s) => ({
    namespace,
    name: s.secretName,
    key: s.key,
    releaseName: release.releaseName,
    description: s.description,
  }));
}
