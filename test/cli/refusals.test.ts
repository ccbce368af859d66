/**
 * The README's table "What the library refuses and why" is generated from
 * the corpus of bad configurations (test/cli/corpus.ts), whose every entry
 * cli.test.ts runs: the promise and the tests are one list. To regenerate
 * the table after changing the corpus: UPDATE_README=1 npx jest test/cli/refusals.test.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { BAD_CONFIGS } from './corpus';

const README = path.join(__dirname, '..', '..', 'README.md');
const START = '<!-- refusals: generated from test/cli/corpus.ts by test/cli/refusals.test.ts; do not edit -->';
const END = '<!-- refusals: end -->';

/** Text for a table cell: Markdown characters escaped. */
function text(t: string): string {
  return t.replace(/[\\`*_<>|[\]]/g, (c) => `\\${c}`);
}

/** A message as a code span of a table cell (shown as it is; only "|" needs its escape inside a table). */
function code(t: string): string {
  const fence = t.includes('`') ? '``' : '`';
  return `${fence}${t.replace(/\|/g, '\\|')}${fence}`;
}

/** The table, one row per corpus entry, in corpus order. */
export function refusalsTable(): string {
  const rows = BAD_CONFIGS.map((c) => {
    const file = c.json ? 'multi-ingress.json' : 'multi-ingress.yaml';
    const messages = c.expected.map((e) => e.split('{file}').join(file).split('{dir}/').join(''));
    return `| ${text(c.name)} | ${messages.map(code).join('<br>')} |`;
  });
  return ['| what is wrong | the error (exit code 1, nothing written) |', '|---|---|', ...rows].join('\n');
}

test("the README's table of refusals is the corpus the command line is tested with", () => {
  const readme = fs.readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const expected = `${START}\n${refusalsTable()}\n${END}`;
  const actual = readme.slice(start, end + END.length);
  if (process.env.UPDATE_README === '1' && actual !== expected) {
    fs.writeFileSync(README, readme.slice(0, start) + expected + readme.slice(end + END.length));
    return;
  }
  expect(actual).toBe(expected);
});
