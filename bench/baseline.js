// The baseline of the benchmark: raw cdk8s writing the same objects and the
// same files as the command, with no library logic. The objects were read
// back from the command's output; here each becomes one ApiObject in one
// chart, and the chart is synthesized. The command's other files (edge files,
// audit report, values files, marker) are written with the same bytes.
//
// Usage: node bench/baseline.js INPUT.json OUTDIR
//   INPUT.json  { "objects": [...], "files": { "<relative path>": "<base64>" } }
const fs = require('fs');
const path = require('path');
const { ApiObject, App, Chart } = require('cdk8s');

const [inputFile, outdir] = process.argv.slice(2);
const { objects, files } = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
fs.rmSync(outdir, { recursive: true, force: true });
const app = new App({ outdir });
const chart = new Chart(app, 'wire');
objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
app.synth();
for (const [file, content] of Object.entries(files)) {
  const target = path.join(outdir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, Buffer.from(content, 'base64'));
}
