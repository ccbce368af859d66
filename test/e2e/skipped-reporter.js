/**
 * A jest reporter that ends the run with the list of what was skipped and
 * why. Suites skipped by `describeWithTools` / `describeIf` (test/e2e/tools.ts)
 * record their reason as a small JSON file in the skips folder; any other
 * skipped test is listed by its name.
 *
 * Plain JavaScript: jest loads reporters without transforming them.
 */
const fs = require('fs');
const path = require('path');

class SkippedReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.dir = process.env.WIRE_TEST_SKIPS_DIR || path.join(this.rootDir, 'test-reports', 'skipped');
  }

  onRunStart() {
    // the records of an earlier run are not this run's
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
  }

  onRunComplete(_contexts, results) {
    const records = [];
    try {
      for (const f of fs.readdirSync(this.dir).sort()) {
        if (f.endsWith('.json')) records.push(JSON.parse(fs.readFileSync(path.join(this.dir, f), 'utf8')));
      }
    } catch {
      // no records
    }
    // skipped tests with the suites they are in
    const skipped = [];
    for (const file of results.testResults) {
      const rel = path.relative(this.rootDir, file.testFilePath);
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') skipped.push({ file: rel, suites: t.ancestorTitles, title: t.fullName });
      }
    }
    const lines = [];
    records.sort((a, b) => `${a.file}\0${a.suite}`.localeCompare(`${b.file}\0${b.suite}`));
    for (const r of records) {
      const count = skipped.filter((s) => s.file === r.file && s.suites.includes(r.suite)).length;
      lines.push(`  ${r.file}: "${r.suite}" (${count} test${count === 1 ? '' : 's'}): ${r.reason}`);
    }
    const others = skipped.filter((s) => !records.some((r) => r.file === s.file && s.suites.includes(r.suite)));
    const otherFiles = [...new Set(others.map((s) => s.file))].sort();
    for (const file of otherFiles) {
      const n = others.filter((s) => s.file === file).length;
      lines.push(`  ${file}: ${n} other test${n === 1 ? '' : 's'} (not selected by a name pattern, or skipped in the test file)`);
    }
    const out = process.stdout;
    if (lines.length === 0) {
      out.write('\nNothing was skipped.\n');
      return;
    }
    const total = skipped.length;
    out.write(`\nSkipped (${total} test${total === 1 ? '' : 's'}; set CI=true to make missing programs and inputs fail instead):\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedReporter;
