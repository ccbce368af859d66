import { ApiObject, Testing } from 'cdk8s';
import { IReleaseRenderer, MultiIngressBackend, ReleaseFormat, ReleaseSpec } from '../../src';
import { captureWarnings } from '../util';

test('a custom release format receives every release with its values and secret references', () => {
  const seen: ReleaseSpec[] = [];
  const renderer: IReleaseRenderer = {
    render(scope, id, release) {
      seen.push(release);
      const obj = new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: release.releaseName } });
      return { objects: [obj], expectedSecrets: [] };
    },
  };
  const format = ReleaseFormat.custom('configmaps', renderer);
  expect(format.name).toBe('configmaps');
  const chart = Testing.chart();
  new MultiIngressBackend(chart, 'backend', {
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com'],
    releaseFormat: format,
  });
  expect(seen.map((r) => [r.releaseName, r.chart, r.targetNamespace])).toEqual([
    ['wire-server', 'wire-server', 'wire'],
    ['webapp', 'webapp', 'wire'],
    ['nginx-ingress-services', 'nginx-ingress-services', 'wire'],
    ['nginx-ingress-services-red-example-com', 'nginx-ingress-services', 'wire'],
  ]);
  expect(seen[0].secretValues.map((s) => [s.secretName, s.key])).toEqual([['wire-server-secrets', 'secrets.yaml']]);
  expect(seen[3].values.config.dns.base).toBe('red.example.com');
  const output = captureWarnings();
  try {
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap']);
  } finally {
    output.restore();
  }
});
