import { WireDomain } from '../domain';
import { Problems, quote } from '../errors';
import { DomainEntry, Topology } from '../topology';
import { IpAddress, parseIpAddress } from './addresses';
import { EdgeOptions, ResolvedEntryPointSettings, resolveEntryPointSettings } from './options';

/** Everything the entry points of one domain are made from (pure data). */
export interface DomainEdge {
  readonly domain: WireDomain;
  /** The domain's own public address. */
  readonly address: IpAddress;
  /** The backend's address the edge proxy forwards to. */
  readonly backend: IpAddress;
  readonly settings: ResolvedEntryPointSettings;
  /** Name of the load balancer Service: `wire-entry[-<ingressName>]`. */
  readonly loadBalancerName: string;
  /** Name of the in-cluster edge proxy's objects: `wire-edge[-<ingressName>]`. */
  readonly edgeProxyName: string;
}

/** Names of one domain's entry point objects. */
export interface EntryPointNames {
  /** Name of the load balancer Service. */
  readonly loadBalancerName: string;
  /** Name of the in-cluster edge proxy's objects. */
  readonly edgeProxyName: string;
}

/** Names of one domain's entry point objects, from its (unique) ingress name: `wire-entry[-<ingressName>]`, `wire-edge[-<ingressName>]`. */
export function entryPointNames(entry: DomainEntry): EntryPointNames {
  const suffix = entry.ingressName === '' ? '' : `-${entry.ingressName}`;
  return { loadBalancerName: `wire-entry${suffix}`, edgeProxyName: `wire-edge${suffix}` };
}

function isBackendProblem(address: IpAddress, domain: string): string {
  return (
    `entry address ${quote(address.text)} of ${quote(domain)} is the backend's address (backendAddress): ` +
    'expected an address of its own, so that the backend stays hidden behind it'
  );
}

/**
 * A domain's entry address and the backend's address, checked against each
 * other. All problems are reported together.
 */
export function checkEntryAddresses(domain: string, address: unknown, backendAddress: unknown): { address: IpAddress; backend: IpAddress } {
  const problems = new Problems();
  const backend = problems.capture(() => parseIpAddress(backendAddress, 'backendAddress'));
  const own = problems.capture(() => parseIpAddress(address, `entry address of ${quote(domain)}`));
  if (own && backend && own.text === backend.text) {
    problems.add(isBackendProblem(own, domain));
  }
  problems.throwIfAny('Invalid entry point');
  return { address: own!, backend: backend! };
}

/** The entry points of one domain. */
export function domainEdge(
  domain: WireDomain,
  names: EntryPointNames,
  address: unknown,
  backendAddress: unknown,
  settings: ResolvedEntryPointSettings,
): DomainEdge {
  return { domain, ...checkEntryAddresses(domain.name, address, backendAddress), settings, ...names };
}

/**
 * Check the entry points of every domain of a deployment: one valid address
 * per domain, none shared by two domains, none equal to the backend's. All
 * problems are reported together; each names the domains and the address.
 *
 * @returns the entry points, keyed by normalised domain name
 */
export function resolveEdges(options: EdgeOptions, topology: Topology, namespace: string): Map<string, DomainEdge> {
  const problems = new Problems();
  if (options === null || typeof options !== 'object') {
    throw new Error(`entryPoints ${quote(options)} is not valid: expected { addresses, backendAddress }`);
  }
  const settings = problems.capture(() => resolveEntryPointSettings(options, namespace, topology.names));
  const backend = problems.capture(() => parseIpAddress(options.backendAddress, 'backendAddress'));

  // addresses keyed by the normalised domain
  const given = new Map<string, unknown>();
  const addresses = options.addresses;
  if (addresses === null || typeof addresses !== 'object' || Array.isArray(addresses)) {
    problems.add(`entryPoints.addresses ${quote(addresses)} is not valid: expected one address per domain, e.g. { "red.example.com": "203.0.113.10" }`);
  } else {
    for (const [key, value] of Object.entries(addresses)) {
      const domain = problems.capture(() => WireDomain.parse(key, 'entryPoints.addresses key'));
      if (!domain) {
        continue;
      }
      if (!topology.names.has(domain.name)) {
        problems.add(`entryPoints.addresses has an entry for ${quote(key)}, which is not one of the domains`);
      } else if (given.has(domain.name)) {
        problems.add(`entryPoints.addresses has two entries for ${quote(domain.name)} (one of them written as ${quote(key)}); give one address per domain`);
      } else {
        given.set(domain.name, value);
      }
    }
  }

  const parsed = new Map<string, IpAddress>();
  const byAddress = new Map<string, string>();
  if (given.size === 0 && addresses !== null && typeof addresses === 'object') {
    problems.add(`entryPoints.addresses gives no address for any of the ${topology.all.length} domain(s): each needs its own entry address`);
  }
  for (const entry of given.size === 0 ? [] : topology.all) {
    const name = entry.domain.name;
    if (!given.has(name)) {
      problems.add(`entryPoints.addresses has no address for ${quote(name)}: every domain needs its own entry address`);
      continue;
    }
    const address = problems.capture(() => parseIpAddress(given.get(name), `entry address of ${quote(name)}`));
    if (!address) {
      continue;
    }
    const other = byAddress.get(address.text);
    if (other !== undefined) {
      problems.add(
        `domains ${quote(other)} and ${quote(name)} have the same entry address ${quote(address.text)}: each domain needs an ` +
          'address of its own, or an observer sees that they belong together',
      );
    } else {
      byAddress.set(address.text, name);
    }
    if (backend && address.text === backend.text) {
      problems.add(isBackendProblem(address, name));
    }
    parsed.set(name, address);
  }
  problems.throwIfAny('Invalid entry points');

  return new Map(
    topology.all.map((entry) => [
      entry.domain.name,
      { domain: entry.domain, address: parsed.get(entry.domain.name)!, backend: backend!, settings: settings!, ...entryPointNames(entry) },
    ]),
  );
}
