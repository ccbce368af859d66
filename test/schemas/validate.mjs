// Validates Kubernetes objects against upstream schemas: Flux and Argo CD
// kinds with the @kubernetes-models packages (ESM only, hence this script),
// core kinds with kubernetes-models, HelmChart and HelmChartConfig with the
// project's own schemas of the k3s types' fields (helmchart.schema.json,
// helmchartconfig.schema.json).
//
// stdin: a JSON array of objects; stdout: a JSON array of
// { index, kind, name, error } for every object that does not validate, or
// that no schema is known for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const helmChartSchema = JSON.parse(readFileSync(new URL('./helmchart.schema.json', import.meta.url), 'utf8'));
const helmChart = new Ajv({ allErrors: true, strict: false }).compile(helmChartSchema);
const helmChartConfigSchema = JSON.parse(readFileSync(new URL('./helmchartconfig.schema.json', import.meta.url), 'utf8'));
const helmChartConfig = new Ajv({ allErrors: true, strict: false }).compile(helmChartConfigSchema);

function packageOf(group) {
  if (group.endsWith('.fluxcd.io')) return '@kubernetes-models/flux-cd';
  if (group === 'argoproj.io') return '@kubernetes-models/argo-cd';
  return 'kubernetes-models';
}

async function check(obj) {
  if (obj.apiVersion === 'helm.cattle.io/v1' && obj.kind === 'HelmChart') {
    return helmChart(obj) ? undefined : JSON.stringify(helmChart.errors);
  }
  if (obj.apiVersion === 'helm.cattle.io/v1' && obj.kind === 'HelmChartConfig') {
    return helmChartConfig(obj) ? undefined : JSON.stringify(helmChartConfig.errors);
  }
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const path = group === '' ? `kubernetes-models/${version}` : `${packageOf(group)}/${group}/${version}`;
  let module;
  try {
    module = await import(path);
  } catch (e) {
    return `no schema for ${obj.apiVersion}: ${e.message}`;
  }
  const Model = module[obj.kind];
  if (typeof Model !== 'function') return `no schema for ${obj.apiVersion} ${obj.kind}`;
  try {
    new Model(obj).validate();
    return undefined;
  } catch (e) {
    return e.message;
  }
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const failures = [];
for (const [index, obj] of objects.entries()) {
  const error = await check(obj);
  if (error !== undefined) failures.push({ index, kind: obj.kind, name: obj.metadata?.name, error });
}
process.stdout.write(JSON.stringify(failures));
