import { Chart, Testing } from 'cdk8s';
import { MultiIngressBackend, MultiIngressBackendProps, UnlinkabilityReport } from '../../src';
import { captureWarnings } from '../util';

/** The guide's three domains with its short ingress names. */
export const GUIDE: MultiIngressBackendProps = {
  defaultDomain: 'green.example.org',
  additionalDomains: ['red.example.com', 'blue.example.net'],
  ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
};

/** Adds to a deployment, e.g. the objects another construct would add per domain. */
export type Extend = (backend: MultiIngressBackend) => void;

/** A deployment in a fresh app; `extend` adds to it. */
export function deployment(props: MultiIngressBackendProps, extend?: Extend): { chart: Chart; backend: MultiIngressBackend } {
  const chart = new Chart(Testing.app(), 'wire');
  const backend = new MultiIngressBackend(chart, 'backend', props);
  extend?.(backend);
  return { chart, backend };
}

/** Synthesize; return the audit report and what was printed. */
export function passes(props: MultiIngressBackendProps, extend?: Extend): { report: UnlinkabilityReport; printed: string[] } {
  const { chart, backend } = deployment(props, extend);
  const output = captureWarnings();
  try {
    Testing.synth(chart);
    return { report: backend.audit(), printed: output.lines() };
  } finally {
    output.restore();
  }
}

/** Synthesize expecting the audit to fail it; return the message and the report. */
export function fails(props: MultiIngressBackendProps, extend?: Extend): { message: string; report: UnlinkabilityReport } {
  const { chart, backend } = deployment(props, extend);
  const output = captureWarnings();
  try {
    Testing.synth(chart);
  } catch (e) {
    return { message: (e as Error).message, report: backend.audit() };
  } finally {
    output.restore();
  }
  throw new Error('expected the synthesis to fail');
}

/** The domain of a backend by name. */
export function ingressOf(backend: MultiIngressBackend, domain: string) {
  const found = backend.domainIngresses.find((d) => d.domain.name === domain);
  if (!found) {
    throw new Error(`no DomainIngress for ${domain}`);
  }
  return found;
}
