// The baseline of the benchmark: raw cdk8s emitting the same objects with the
// same values as the library, with no library logic: read them from a JSON
// file, create one ApiObject each, synthesize.
//
// Usage: node bench/baseline.js OBJECTS.json OUTDIR
const fs = require('fs');
const { ApiObject, App, Chart } = require('cdk8s');

const [objectsFile, outdir] = process.argv.slice(2);
const objects = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
const app = new App({ outdir });
const chart = new Chart(app, 'wire');
objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
app.synth();
