/**
 * shellcheck on every shape of script the library writes. The shapes come
 * from the options that change a script's lines, not its words:
 *
 * - deploy.sh: the number of secret values files (cert-manager TLS: only
 *   wire-server's; own certificates: one more per domain), the number of
 *   domains (releases), chart repositories over https (`--repo`) or OCI (none),
 *   a secrets folder of one or more levels;
 * - certbot.sh: behind HAProxy (`httpRedirect`: the placeholder certificate,
 *   certbot on a local port) or alone on port 80; an e-mail address that is
 *   a plain word or one that needs quotes; IPv4 or IPv6; the wildcard record.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeWithTools } from './tools';
import { EdgeOptions, IngressTls, MultiIngressBackendProps, ReleaseFormat } from '../../src';
import { domains, synth, tempDir } from '../util';

function shellcheck(tool: string, name: string, text: string): { out: string; status: number | null } {
  const dir = tempDir('shellcheck-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode: 0o755 });
  const result = spawnSync(tool, ['--severity=style', '--norc', file], { encoding: 'utf8' });
  return { out: `${result.stdout}${result.stderr}`, status: result.status };
}

function props(count: number, extra: Partial<MultiIngressBackendProps> = {}): MultiIngressBackendProps {
  const [defaultDomain, ...additionalDomains] = domains(count);
  return { defaultDomain, additionalDomains, ...extra };
}

const OCI = 'oci://registry.example.org/wire/charts';
const oci = { wireServerChart: { repository: OCI }, webappChart: { repository: OCI }, ingressServicesChart: { repository: OCI } };

const DEPLOY_SHAPES: Array<[string, MultiIngressBackendProps]> = [];
for (const count of [1, 2, 3]) {
  for (const [tlsName, tls] of [
    ['own certificates', undefined],
    ['cert-manager', IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' })],
  ] as const) {
    for (const [repoName, repos] of [
      ['https', {}],
      ['OCI', oci],
    ] as const) {
      for (const secretsFolder of ['secrets', 'ops/wire/secrets']) {
        DEPLOY_SHAPES.push([
          `${count} domain(s), ${tlsName}, ${repoName} charts, secrets in ${secretsFolder}`,
          props(count, { tls, ...repos, releaseFormat: ReleaseFormat.valuesFiles({ secretsFolder }) }),
        ]);
      }
    }
  }
}

function entryPoints(names: string[], settings: Partial<EdgeOptions>, ipv6: boolean): EdgeOptions {
  const addresses = Object.fromEntries(names.map((n, i) => [n, ipv6 ? `2001:db8::${i + 10}` : `198.51.100.${i + 10}`]));
  return { addresses, backendAddress: ipv6 ? '2001:db8::1' : '192.0.2.1', ...settings };
}

const CERTBOT_SHAPES: Array<[string, MultiIngressBackendProps]> = [];
for (const httpRedirect of [true, false]) {
  for (const acmeEmail of ['hostmaster@{domain}', "o'brien+{domain}@example.org"]) {
    for (const ipv6 of [false, true]) {
      for (const wildcard of [false, true]) {
        const names = domains(2);
        CERTBOT_SHAPES.push([
          `httpRedirect ${httpRedirect}, e-mail ${acmeEmail}, ${ipv6 ? 'IPv6' : 'IPv4'}, wildcard ${wildcard}`,
          props(2, { entryPoints: entryPoints(names, { haproxy: { httpRedirect, acmeEmail }, dns: { wildcard } }, ipv6) }),
        ]);
      }
    }
  }
}

describeWithTools(['shellcheck'], 'shellcheck accepts every shape of the scripts', (tools) => {
  test.each(DEPLOY_SHAPES)('deploy.sh: %s', (_name, p) => {
    const script = synth(p).files['deploy.sh'];
    expect(script).toBeDefined();
    expect(shellcheck(tools.shellcheck, 'deploy.sh', script)).toEqual({ out: '', status: 0 });
  });

  test.each(CERTBOT_SHAPES)('certbot.sh: %s', (_name, p) => {
    const files = synth(p).files;
    const scripts = Object.keys(files).filter((f) => f.endsWith('/certbot.sh'));
    expect(scripts).toHaveLength(2);
    for (const f of scripts) {
      expect(shellcheck(tools.shellcheck, 'certbot.sh', files[f])).toEqual({ out: '', status: 0 });
    }
  });
});
