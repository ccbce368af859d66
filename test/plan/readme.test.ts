/**
 * The README's section "Adding and removing domains" shows real output: the
 * same steps, run here, print exactly what it shows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { Plan } from '../../src';
import { main } from '../../src/cli/main';
import { tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## Adding and removing domains'), README.indexOf('## Recipe: add a domain'));
const GUIDE = parse(fs.readFileSync(path.join(ROOT, 'examples', 'guide-three-domains', 'multi-ingress.yaml'), 'utf8'));

/** The output shown after the command of the console block marked `name`. */
function shown(name: string): string {
  const start = SECTION.indexOf(`<!-- plan-output: ${name} -->\n\`\`\`console\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = SECTION.slice(start).split('```console\n')[1].split('\n```')[0];
  return `${block.split('\n').slice(1).join('\n')}\n`;
}

function run(dir: string, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (s) => (out += s), (s) => (err += s));
  const relative = (s: string) => s.split(`${dir}/`).join('');
  return { code, out: relative(out), err: relative(err) };
}

test('the section shows what plan and synth print for adding and removing a domain', () => {
  const dir = tempDir('readme-plan-');
  const config = path.join(dir, 'multi-ingress.yaml');
  const out = path.join(dir, 'synth-out');
  fs.writeFileSync(config, stringify(GUIDE));
  expect(run(dir, 'synth', '--config', config, '--out', out, '--quiet').code).toBe(0);

  // the recipe's edits
  fs.writeFileSync(
    config,
    stringify({
      ...GUIDE,
      additionalDomains: [...GUIDE.additionalDomains, 'purple.example.info'],
      ingressNames: { ...GUIDE.ingressNames, 'purple.example.info': 'purple' },
      entryPoints: { ...GUIDE.entryPoints, addresses: { ...GUIDE.entryPoints.addresses, 'purple.example.info': '198.51.100.77' } },
    }),
  );
  const added = run(dir, 'plan', '--config', config, '--against', out, '--quiet');
  expect(added.code).toBe(3);
  expect(added.out).toBe(shown('add'));

  const { 'blue.example.net': _address, ...addresses } = GUIDE.entryPoints.addresses;
  fs.writeFileSync(
    config,
    stringify({ ...GUIDE, additionalDomains: ['red.example.com'], ingressNames: { 'red.example.com': 'red' }, entryPoints: { ...GUIDE.entryPoints, addresses } }),
  );
  const removed = run(dir, 'plan', '--config', config, '--against', out, '--quiet');
  expect(removed.code).toBe(1);
  expect(removed.out).toBe(shown('remove'));

  const refused = run(dir, 'synth', '--config', config, '--out', out, '--quiet');
  expect(refused.code).toBe(1);
  const synthBlock = SECTION.slice(SECTION.indexOf('$ npx cdk8s-wire-multi-ingress synth --config multi-ingress.yaml --out synth-out --quiet\n'));
  const lines = synthBlock.split('\n');
  const allowAt = lines.findIndex((l, i) => i > 0 && l.startsWith('$ '));
  // the refusal, after the synthesis' warnings
  expect(refused.err.slice(refused.err.indexOf('cdk8s-wire-multi-ingress: refused'))).toBe(`${lines.slice(1, allowAt).join('\n')}\n`);
  const allow = lines[allowAt].replace(/^\$ npx cdk8s-wire-multi-ingress /, '').split(' ');
  expect(allow.slice(0, 5)).toEqual(['synth', '--config', 'multi-ingress.yaml', '--out', 'synth-out']);
  const accepted = run(dir, 'synth', '--config', config, '--out', out, ...allow.slice(5));
  expect(accepted).toMatchObject({ code: 0, out: '' });
  expect(accepted.err).not.toContain('refused');
});

test('the section names every danger kind, and the restart table it points to', () => {
  for (const kind of Plan.DANGER_KINDS) expect(SECTION).toContain(`| \`${kind}\` |`);
  expect(fs.readFileSync(path.join(ROOT, 'src', 'plan', 'restarts.ts'), 'utf8')).toContain('export const RESTART_TABLE');
});
