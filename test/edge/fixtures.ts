import { WireDomain } from '../../src/domain';
import { DomainEdge, domainEdge, entryPointNames } from '../../src/edge/model';
import { EntryPointSettings, resolveEntryPointSettings } from '../../src/edge/options';
import { domainEntry } from '../../src/topology';

/** The entry point model of one (additional) domain. */
export function edgeOf(domain: string, address: string, settings: EntryPointSettings = {}, backend = '192.0.2.1'): DomainEdge {
  const entry = domainEntry(WireDomain.parse(domain), false);
  return domainEdge(entry.domain, entryPointNames(entry), address, backend, resolveEntryPointSettings(settings, 'wire', new Set()));
}
