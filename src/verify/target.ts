/**
 * What `verify` expects of a deployment: taken from the configuration the
 * way synth builds it (in memory, nothing is written), not from the files.
 */
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { WireApp } from '../artefacts';
import { LoadedConfig, toProps } from '../cli/config';
import { MultiIngressBackend } from '../multi-ingress-backend';

/** What one domain must show. */
export interface DomainTarget {
  readonly domain: string;
  /** Its six host names (nginz-https first). */
  readonly hosts: readonly string[];
  /** Its entry address, when the configuration gives one (`entryPoints.addresses`). */
  readonly entryAddress?: string;
  /** The document `https://nginz-https.<domain>/deeplink.json` must return: the synthesized wire-server values'. */
  readonly deeplink: unknown;
}

/** What the deployment must show. */
export interface VerifyTarget {
  /** Every domain, the default first. */
  readonly domains: readonly DomainTarget[];
  /** The backend's own public address (`entryPoints.backendAddress`), which no domain's name may resolve to. */
  readonly backendAddress?: string;
  /** Whether port 80 redirects to HTTPS (the edge proxies' `haproxy.httpRedirect`, on by default). */
  readonly httpRedirect: boolean;
}

/** Build the deployment of a configuration in memory and read what verify expects from it. */
export function targetOf(config: LoadedConfig): VerifyTarget {
  // the output folder is never written: nothing is synthesized
  const app = new WireApp({ outdir: path.join(os.tmpdir(), 'cdk8s-wire-multi-ingress-verify-unused') });
  const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', toProps(config));
  const nginx = backend.wireServerValues.nginz?.nginx_conf ?? {};
  const entry = config.data.entryPoints;
  return {
    domains: backend.domainIngresses.map((di) => ({
      domain: di.domain.name,
      hosts: di.domain.hostNames,
      ...(di.entryAddress === undefined ? {} : { entryAddress: di.entryAddress }),
      deeplink: di.isDefaultDomain ? nginx.deeplink : nginx.multi_ingress_deeplink?.[di.domain.name],
    })),
    ...(typeof entry?.backendAddress === 'string' ? { backendAddress: entry.backendAddress } : {}),
    httpRedirect: entry !== undefined && entry.haproxy?.httpRedirect !== false,
  };
}
