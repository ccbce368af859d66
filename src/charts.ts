import { quote } from './errors';

/**
 * Where a Helm chart comes from and which version is installed.
 */
export interface ChartSource {
  /**
   * Helm chart repository URL.
   *
   * @default Wire's public chart repository for this chart
   * (`WireCharts.REPOSITORY`, or `WireCharts.WEBAPP_REPOSITORY` for webapp)
   */
  readonly repository?: string;

  /**
   * Exact chart version to install (pinned, never a range).
   *
   * @default the version this library was tested with
   * (`WireCharts.WIRE_SERVER_VERSION`, `WireCharts.INGRESS_SERVICES_VERSION`,
   * `WireCharts.WEBAPP_VERSION`)
   */
  readonly version?: string;
}

/**
 * Names, repositories and default versions of Wire's Helm charts.
 */
export class WireCharts {
  /** Wire's public chart repository (wire-server, nginx-ingress-services). */
  public static readonly REPOSITORY = 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts';
  /** Wire's public chart repository for the web apps (webapp, team-settings, account-pages). */
  public static readonly WEBAPP_REPOSITORY = 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-webapp';
  /** Default wire-server chart version (wire-server-deploy release 5.32). */
  public static readonly WIRE_SERVER_VERSION = '5.32.0';
  /** Default nginx-ingress-services chart version. */
  public static readonly INGRESS_SERVICES_VERSION = '5.32.0';
  /** Default webapp chart version. */
  public static readonly WEBAPP_VERSION = '0.8.0-pre.2699';
  /**
   * Oldest wire-server / nginx-ingress-services version with per-domain
   * deeplinks, unique minio ingress names and spar `domainConfigs`
   * (release v2025-04-07).
   */
  public static readonly MINIMUM_VERSION = '5.14.0';

  private constructor() {}
}

/** A chart with everything needed to install it. */
export interface ResolvedChart {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function isBelow(version: string, minimum: string): boolean {
  const v = SEMVER.exec(version)!;
  const m = SEMVER.exec(minimum)!;
  for (let i = 1; i <= 3; i++) {
    const a = Number(v[i]);
    const b = Number(m[i]);
    if (a !== b) {
      return a < b;
    }
  }
  // same x.y.z: a pre-release comes before the release
  return v[4] !== undefined && m[4] === undefined;
}

function checkRepository(chart: string, repository: unknown): string {
  if (typeof repository !== 'string' || !/^(https?|oci):\/\/[^\s/]+/.test(repository)) {
    throw new Error(`${chart} chart repository ${quote(repository)} is not valid: expected an http(s):// or oci:// URL`);
  }
  return repository.replace(/\/+$/, '');
}

/**
 * Resolve a chart source with its defaults and check the version.
 *
 * @param minimum refuse versions below this one (wire-server and
 * nginx-ingress-services need 5.14.0 for multi-ingress)
 */
export function resolveChart(chart: string, source: ChartSource | undefined, defaults: Required<ChartSource>, minimum?: string): ResolvedChart {
  const version = source?.version ?? defaults.version;
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    throw new Error(`${chart} chart version ${quote(version)} is not valid: expected an exact version such as "${defaults.version}"`);
  }
  if (minimum !== undefined && isBelow(version, minimum)) {
    throw new Error(
      `${chart} chart version ${quote(version)} is too old for multi-ingress: at least ${minimum} (release v2025-04-07) is needed ` +
        'for per-domain deeplinks, unique minio ingress names and spar domainConfigs',
    );
  }
  return { chart, repository: checkRepository(chart, source?.repository ?? defaults.repository), version };
}

export function resolveWireServerChart(source?: ChartSource): ResolvedChart {
  return resolveChart('wire-server', source, { repository: WireCharts.REPOSITORY, version: WireCharts.WIRE_SERVER_VERSION }, WireCharts.MINIMUM_VERSION);
}

export function resolveIngressServicesChart(source?: ChartSource): ResolvedChart {
  return resolveChart(
    'nginx-ingress-services',
    source,
    { repository: WireCharts.REPOSITORY, version: WireCharts.INGRESS_SERVICES_VERSION },
    WireCharts.MINIMUM_VERSION,
  );
}

export function resolveWebappChart(source?: ChartSource): ResolvedChart {
  return resolveChart('webapp', source, { repository: WireCharts.WEBAPP_REPOSITORY, version: WireCharts.WEBAPP_VERSION });
}
