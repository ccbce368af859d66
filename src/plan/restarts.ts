/**
 * Which Wire services restart when a value of a release changes: the one
 * table of the plan. A row is a chart, a value path prefix (dotted, the
 * empty prefix is every path) and the service whose pods roll.
 *
 * Why they roll: wire-server's chart renders each service's `config` into
 * that service's ConfigMap and annotates its Deployment with a checksum of
 * it, so a changed value under `<service>.` rolls that service's pods (see
 * ../shared/reference/wire-charts.md: galley, cargohold, cannon and nginz
 * read the multi-ingress maps; spar reads `domainConfigs`, brig the calling
 * settings). The webapp chart is one Deployment whose environment is its
 * values, so any change rolls it. nginx-ingress-services renders Ingresses,
 * Certificates and Issuers only: no Wire service restarts (the ingress
 * controller reloads its configuration without a restart).
 */
export const RESTART_TABLE: ReadonlyArray<{ readonly chart: string; readonly prefix: string; readonly service: string }> = [
  { chart: 'wire-server', prefix: 'galley', service: 'galley' },
  { chart: 'wire-server', prefix: 'cargohold', service: 'cargohold' },
  { chart: 'wire-server', prefix: 'nginz', service: 'nginz' },
  { chart: 'wire-server', prefix: 'cannon', service: 'cannon' },
  { chart: 'wire-server', prefix: 'spar', service: 'spar' },
  { chart: 'wire-server', prefix: 'brig', service: 'brig' },
  { chart: 'wire-server', prefix: 'gundeck', service: 'gundeck' },
  { chart: 'wire-server', prefix: 'background-worker', service: 'background-worker' },
  { chart: 'webapp', prefix: '', service: 'webapp' },
];

/** The first segment of a dotted value path (keys with dots are written as they are, so only the first dot counts). */
function firstSegment(p: string): string {
  const dot = p.indexOf('.');
  return dot < 0 ? p : p.slice(0, dot);
}

/**
 * The services that restart when these value paths of a release of `chart`
 * change (every service of the chart when its version changes), in the
 * table's order.
 */
export function restartsFor(chart: string, paths: readonly string[], versionChanged = false): string[] {
  const services: string[] = [];
  for (const row of RESTART_TABLE) {
    if (row.chart !== chart || services.includes(row.service)) continue;
    if (versionChanged || paths.some((p) => row.prefix === '' || firstSegment(p) === row.prefix)) {
      services.push(row.service);
    }
  }
  return services;
}
