import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RELEASE_LABELS } from './release/common';

/** Namespaces every cluster has: never emitted. */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Annotations of each emitted Namespace: deleting a Namespace deletes
 * everything in it (wire-server's releases among them), so a GitOps engine
 * that stops seeing it (the option turned off, the last Service of the
 * namespace gone) must not prune it.
 */
const KEEP_ANNOTATIONS: { [key: string]: string } = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'argocd.argoproj.io/sync-options': 'Prune=false',
};

/** Whether `c` is a core `v1` Namespace object. */
function isNamespaceObject(c: IConstruct): c is ApiObject {
  return c instanceof ApiObject && c.apiVersion === 'v1' && c.kind === 'Namespace';
}

/**
 * Emit a `Namespace` for every namespace the objects below `roots` live in,
 * in the chart of those objects, before them in the file: `kubectl apply`
 * and a Flux Kustomization (which dry-runs every object before applying any)
 * then find the namespace in the same apply. Namespaces every cluster has and
 * `engineNamespaces` (where the deployment engine runs) are left out, and so
 * is a Namespace the app already has, in any chart: the same Namespace is
 * never emitted twice.
 */
export function addNamespaces(roots: readonly IConstruct[], engineNamespaces: readonly string[]): ApiObject[] {
  const skip = new Set([...CLUSTER_NAMESPACES, ...engineNamespaces]);
  const byChart = new Map<Chart, { namespaces: Set<string> }>();
  for (const root of roots) {
    for (const c of root.node.findAll()) {
      if (!(c instanceof ApiObject) || (c.apiVersion === 'v1' && c.kind === 'Namespace')) {
        continue;
      }
      const chart = Chart.of(c);
      let entry = byChart.get(chart);
      if (!entry) {
        entry = { namespaces: new Set() };
        byChart.set(chart, entry);
      }
      const ns = c.metadata.namespace;
      if (ns !== undefined && !skip.has(ns)) {
        entry.namespaces.add(ns);
      }
    }
  }
  if (byChart.size === 0 || [...byChart.values()].every((e) => e.namespaces.size === 0)) {
    return [];
  }
  const app = roots[0].node.root;
  const existing = new Set(
    app.node
      .findAll()
      .filter(isNamespaceObject)
      .map((n) => n.name),
  );
  const created: ApiObject[] = [];
  for (const [chart, { namespaces }] of byChart) {
    const added: ApiObject[] = [];
    for (const name of [...namespaces].sort()) {
      if (existing.has(name)) {
        continue;
      }
      existing.add(name);
      const ns = new ApiObject(chart, `Namespace-${name}`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { ...RELEASE_LABELS }, annotations: { ...KEEP_ANNOTATIONS } },
      });
      if (chart.namespace !== undefined) {
        // a chart's namespace is given to every object in it; a Namespace has none
        ns.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
      added.push(ns);
    }
    // first in the file: cdk8s writes an object's dependencies before it (every object of the
    // chart, also those the format adds to the chart itself, such as Flux's HelmRepositories)
    if (added.length > 0) {
      for (const object of chart.node.findAll()) {
        if (object instanceof ApiObject && !added.includes(object) && !(object.apiVersion === 'v1' && object.kind === 'Namespace')) {
          for (const ns of added) object.addDependency(ns);
        }
      }
    }
    created.push(...added);
  }
  return created;
}
