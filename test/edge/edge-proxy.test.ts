import { Chart, Testing } from 'cdk8s';
import { EdgeProxy, EdgeProxyProps } from '../../src';
import { errorOf } from '../util';

const RED: EdgeProxyProps = { domain: 'red.example.com', address: '198.51.100.20', backendAddress: '192.0.2.1' };

function synthProxy(props: EdgeProxyProps = RED) {
  const app = Testing.app();
  const chart = new Chart(app, 'edge', { namespace: 'wire-edge' });
  const proxy = new EdgeProxy(chart, 'red', props);
  const objects = Testing.synth(chart);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  return { proxy, objects, byKind };
}

describe('the in-cluster edge proxy', () => {
  test('is a ConfigMap with the configuration, a Deployment of the official image and a LoadBalancer Service, and no Secret', () => {
    const { proxy, objects, byKind } = synthProxy();
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service']);
    expect(proxy.name).toBe('wire-edge-red-example-com');
    const [cm] = byKind('ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'wire-edge-red-example-com-haproxy', namespace: 'wire-edge' });
    expect(cm.data['haproxy.cfg']).toBe(proxy.haproxyConfig);
    expect(JSON.stringify(objects)).not.toContain('PRIVATE KEY');
  });

  test('runs the pinned image with the mounted configuration, as the image user, read-only', () => {
    const { byKind } = synthProxy();
    const [deployment] = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toMatch(/^haproxy:\d+\.\d+\.\d+$/);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.args).toEqual(['-f', '/usr/local/etc/haproxy-edge/config/haproxy.cfg']);
    expect(container.ports).toEqual([
      { containerPort: 8443, name: 'https' },
      { containerPort: 8080, name: 'http' },
    ]);
    expect(container.securityContext).toMatchObject({ runAsUser: 99, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(deployment.spec.replicas).toBe(2);
    // a new configuration rolls the pods
    expect(deployment.spec.template.metadata.annotations['checksum/haproxy.cfg']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('reads certificate, key and backend CA from a Secret the operator creates, listed as expected', () => {
    const { proxy, byKind } = synthProxy();
    const pod = byKind('Deployment')[0].spec.template.spec;
    const tls = pod.volumes.find((v: any) => v.name === 'tls');
    expect(tls.secret).toEqual({
      secretName: 'wire-edge-red-example-com-tls',
      defaultMode: 0o440,
      items: [
        { key: 'ca.crt', path: 'ca.crt' },
        { key: 'tls.crt', path: 'edge.pem' },
        { key: 'tls.key', path: 'edge.pem.key' },
      ],
    });
    expect(proxy.haproxyConfig).toContain('crt /usr/local/etc/haproxy-edge/tls/edge.pem ');
    expect(proxy.haproxyConfig).toContain('ca-file /usr/local/etc/haproxy-edge/tls/ca.crt ');
    expect(proxy.expectedSecret).toMatchObject({ namespace: 'wire-edge', name: 'wire-edge-red-example-com-tls', key: 'tls.crt' });
    expect(proxy.expectedSecret.description).toContain('red.example.com');
    expect(proxy.expectedSecret.description).toContain('ca.crt');
  });

  test("its Service takes the domain's address and sends 443 and 80 to the proxy's ports", () => {
    const { byKind } = synthProxy();
    const [svc] = byKind('Service');
    const [deployment] = byKind('Deployment');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(svc.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '198.51.100.20' });
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ]);
    expect(svc.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('without httpRedirect only 443 is exposed', () => {
    const { byKind } = synthProxy({ ...RED, haproxy: { httpRedirect: false } });
    expect(byKind('Service')[0].spec.ports.map((p: any) => p.port)).toEqual([443]);
    expect(byKind('Deployment')[0].spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8443, name: 'https' }]);
  });

  test('invalid props are refused together, before anything is created', () => {
    const chart = Testing.chart();
    const message = errorOf(() => new EdgeProxy(chart, 'x', { domain: 'red..example.com', address: '198.51.100.20', backendAddress: 'nope', name: 'Bad' }));
    expect(message).toContain('Invalid edge proxy: 3 problems');
    expect(message).toContain('edge proxy domain "red..example.com" is not a valid DNS name');
    expect(message).toContain('edge proxy name "Bad" is not valid');
    expect(Testing.synth(chart)).toEqual([]);
    expect(errorOf(() => new EdgeProxy(chart, 'y', { ...RED, address: '192.0.2.1' }))).toContain(
      'entry address "192.0.2.1" of "red.example.com" is the backend\'s address',
    );
  });
});
