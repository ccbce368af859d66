/**
 * What Kubernetes refuses by size (src/limits.ts): the HelmChart format's
 * values Secret is refused before anything is written; the chart's
 * nginz-deeplink ConfigMap and release objects too large for a client-side
 * kubectl apply are warned about. The ConfigMap's size is checked against
 * helm's own rendering in test/render.
 */
import { Chart, Testing } from 'cdk8s';
import { MultiIngressBackend, MultiIngressBackendProps, ReleaseFormat } from '../src';
import { domains, errorOf } from './util';
import { MAX_ANNOTATION_BYTES, MAX_DATA_BYTES, helmChartValuesProblem, nginzDeeplinkBytes } from '../src/limits';

/** A deployment of n domains in a format, built (not synthesized). */
function build(n: number, releaseFormat?: ReleaseFormat): MultiIngressBackend {
  const [defaultDomain, ...additionalDomains] = domains(n);
  const props: MultiIngressBackendProps = { defaultDomain, additionalDomains, releaseFormat };
  return new MultiIngressBackend(new Chart(Testing.app(), 'wire'), 'backend', props);
}

const FLUX = ReleaseFormat.flux();
const VALUES = ReleaseFormat.valuesFiles();

describe("the HelmChart format's values Secret (chart-values-<release>: valuesContent and the HelmChartConfig's, at most 1 MiB)", () => {
  test('the limit is 1 MiB in all, counted in UTF-8 bytes of every copy', () => {
    expect(helmChartValuesProblem('wire-server', MAX_DATA_BYTES / 2, 2)).toBeUndefined();
    expect(helmChartValuesProblem('wire-server', MAX_DATA_BYTES / 2 + 1, 2)).toContain('1.00 MiB in all');
    expect(helmChartValuesProblem('webapp', MAX_DATA_BYTES, 1)).toBeUndefined();
    expect(helmChartValuesProblem('webapp', MAX_DATA_BYTES + 1, 1)).toContain('the release "webapp" has 1.00 MiB of values in its HelmChart. ');
  });

  test('a deployment whose HelmChart values pass it is refused, naming the release, the Secret and the formats that carry it; one below it is not', () => {
    // wire-server reads secret values, so its HelmChartConfig repeats the values: two copies
    const below = build(800);
    const content = Testing.synth(below.node.scope as Chart).find((o) => o.kind === 'HelmChart' && o.metadata.name === 'wire-server').spec.valuesContent;
    const perDomain = Buffer.byteLength(content) / 800;
    expect(2 * Buffer.byteLength(content)).toBeLessThanOrEqual(MAX_DATA_BYTES);
    // the first count whose two copies pass 1 MiB (the values grow by about the same per domain)
    const over = Math.ceil(MAX_DATA_BYTES / 2 / perDomain) + 20;
    const message = errorOf(() => build(over));
    expect(message).toContain('the release "wire-server" has ');
    expect(message).toContain('and again in its HelmChartConfig (which repeats them so that they rank above the secret values)');
    expect(message).toContain('one Secret, chart-values-wire-server, and Kubernetes refuses a Secret over 1 MiB, so the release would never install');
    expect(message).toContain('use the Flux or Argo CD format (values in the release object) or the values-files format');
    // the other formats build it
    expect(build(over, FLUX).domains).toHaveLength(over);
  });
});

describe("warnings: the chart's nginz-deeplink ConfigMap, and release objects a client-side kubectl apply refuses", () => {
  const conf = (n: number) => build(n, VALUES).wireServerValues.nginz.nginx_conf;

  test('nginz-deeplink: its size grows with every domain; over 1 MiB a warning says helm would fail, from 90% on how many more domains fit', () => {
    const perDomain = (nginzDeeplinkBytes(conf(21)) - nginzDeeplinkBytes(conf(11))) / 10;
    expect(perDomain).toBeGreaterThan(400);
    const warningsAt = (n: number) => build(n, VALUES).warnings.filter((w) => w.includes('nginz-deeplink'));
    const limit = Math.floor(MAX_DATA_BYTES / perDomain);
    expect(warningsAt(Math.floor(limit * 0.85))).toEqual([]);
    const near = warningsAt(Math.ceil(limit * 0.95));
    expect(near).toHaveLength(1);
    expect(near[0]).toMatch(/Kubernetes refuses a ConfigMap over 1 MiB, about \d+ more domain\(s\) like these$/);
    const over = warningsAt(limit + 20);
    expect(over).toHaveLength(1);
    expect(over[0]).toContain('Kubernetes refuses a ConfigMap over 1 MiB: helm would fail to install or upgrade wire-server');
  });

  test('a release object over 256 KiB: the warning names it and how to apply it; none in the values-files format, none below', () => {
    const applyWarnings = (b: MultiIngressBackend) => b.warnings.filter((w) => w.includes('kubectl.kubernetes.io/last-applied-configuration'));
    const perDomain = Buffer.byteLength(JSON.stringify(build(100, FLUX).wireServerValues)) / 100;
    const over = Math.ceil(MAX_ANNOTATION_BYTES / perDomain) + 20;
    expect(applyWarnings(build(Math.floor(over * 0.8), FLUX))).toEqual([]);
    const [flux] = applyWarnings(build(over, FLUX));
    expect(flux).toMatch(/^the release object HelmRelease flux-system\/wire-server holds about \d+ KiB of values, more than the 256 KiB/);
    expect(flux).toContain('Apply it with kubectl apply --server-side');
    expect(applyWarnings(build(over))).toEqual([expect.stringMatching(/^the release object HelmChart kube-system\/wire-server /)]);
    expect(applyWarnings(build(over, VALUES))).toEqual([]);
  });
});
