/**
 * The README's recipe "add a domain", step by step on the guide's
 * configuration: what it says the operator must create, and what changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../../src/cli/example';
import { main } from '../../src/cli/main';
import { tempDir } from '../util';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const RECIPE = README.slice(README.indexOf('## Recipe: add a domain'), README.indexOf('## Constructs and options'));

function synth(config: object, dir: string, name: string, format: string): { warned: string; out: string } {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, stringify(config));
  const out = path.join(dir, name);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    let err = '';
    const code = main(['synth', '--config', file, '--out', out, '--format', format], () => undefined, (s) => (err += s));
    expect(err).toBe('');
    expect(code).toBe(0);
    return { warned: warn.mock.calls.map((c) => c.join(' ')).join('\n'), out };
  } finally {
    warn.mockRestore();
  }
}

/** The recipe's four edits. */
function withPurple(config: any): any {
  return {
    ...config,
    additionalDomains: [...config.additionalDomains, 'purple.example.info'],
    ingressNames: { ...config.ingressNames, 'purple.example.info': 'purple' },
    entryPoints: { ...config.entryPoints, addresses: { ...config.entryPoints.addresses, 'purple.example.info': '198.51.100.77' } },
  };
}

describe('README recipe: add a domain', () => {
  const before = parse(EXAMPLE_CONFIG);
  const after = withPurple(before);

  test.each([
    ['helmchart', 'Secret kube-system/nginx-ingress-services-purple-tls with key tls-values.yaml'],
    ['flux', 'Secret flux-system/nginx-ingress-services-purple-tls with key tls-values.yaml'],
    ['values', 'values file secrets/nginx-ingress-services-purple-tls/tls-values.yaml'],
  ])('with %s the synth names the Secret the recipe names', (format, listed) => {
    const dir = tempDir('recipe-');
    const { warned, out } = synth(after, dir, 'after', format);
    expect(warned).toContain(listed);
    // the recipe names the same Secret, namespace and key
    const [, namespace, secret] = /Secret (\S+)\/(\S+) with key/.exec(listed) ?? [undefined, undefined, /secrets\/([^/]+)\//.exec(listed)![1]];
    expect(RECIPE).toContain(secret!);
    if (namespace !== undefined) expect(RECIPE).toContain(`\`${namespace}\``);
    expect(fs.readFileSync(path.join(out, 'edge', 'purple.example.info', 'dns.zone'), 'utf8')).toContain('198.51.100.77');
  });

  test("the kubectl command and the file's keys match what the release reads", () => {
    expect(RECIPE).toContain('kubectl -n kube-system create secret generic nginx-ingress-services-purple-tls --from-file=tls-values.yaml');
    const dir = tempDir('recipe-');
    const { out } = synth(after, dir, 'after', 'helmchart');
    const objects = parseAllDocuments(fs.readFileSync(path.join(out, 'wire.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    const purple = objects.find((o) => o.kind === 'HelmChart' && o.metadata.name === 'nginx-ingress-services-purple');
    expect(purple.spec.valuesSecrets).toEqual([{ name: 'nginx-ingress-services-purple-tls', keys: ['tls-values.yaml'], ignoreUpdates: false }]);
    // the example file sets the keys the chart reads in own-certificate mode
    const example = /```yaml\n([\s\S]*?)```/.exec(RECIPE)![1].replace(/^ {5}/gm, '');
    expect(Object.keys(parse(example).secrets).sort()).toEqual(['tlsWildcardCert', 'tlsWildcardKey']);
  });

  test('wire-server changes for galley, cargohold, nginz and cannon, as the recipe says', () => {
    const dir = tempDir('recipe-');
    const read = (out: string) => {
      const objects = parseAllDocuments(fs.readFileSync(path.join(out, 'wire.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
      return parse(objects.find((o) => o.kind === 'HelmChart' && o.metadata.name === 'wire-server').spec.valuesContent);
    };
    const old = read(synth(before, dir, 'before', 'helmchart').out);
    const now = read(synth(after, dir, 'after', 'helmchart').out);
    const changed = Object.keys({ ...old, ...now }).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k])).sort();
    expect(changed).toEqual(['cannon', 'cargohold', 'galley', 'nginz']);
    for (const service of changed) expect(RECIPE).toContain(service);
  });
});
