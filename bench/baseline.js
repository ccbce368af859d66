// The baselines of the benchmark: raw cdk8s emitting the same objects with the
// same values as the library, with no library logic. Read them from a JSON
// file, create one ApiObject each, synthesize.
//
// Usage: node bench/baseline.js OBJECTS.json OUTDIR [values|rendered]
//   values    (default) each HelmChart's Helm values are data; valuesContent is
//             written with cdk8s' Yaml.stringify, as a cdk8s app of one's own
//             would do it
//   rendered  the objects exactly as the library wrote them (valuesContent
//             already a string): only ApiObjects and cdk8s' synth
const fs = require('fs');
const { ApiObject, App, Chart, Yaml } = require('cdk8s');

const [objectsFile, outdir, mode = 'values'] = process.argv.slice(2);
const objects = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
const app = new App({ outdir });
const chart = new Chart(app, 'wire');
objects.forEach((o, i) => {
  if (mode === 'values' && o.kind === 'HelmChart' && o.values !== undefined) {
    const { values, ...rest } = o;
    new ApiObject(chart, `o${i}`, { ...rest, spec: { ...rest.spec, valuesContent: Yaml.stringify(values) } });
  } else {
    new ApiObject(chart, `o${i}`, o);
  }
});
app.synth();
