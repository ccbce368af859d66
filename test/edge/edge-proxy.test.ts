import { Chart, Testing } from 'cdk8s';
import { EdgeProxy, EdgeProxyProps } from '../../src';
import { CONTAINER_PID_FILE, CONTAINER_RUN_DIR, CONTAINER_TLS_DIR, RELOAD_CHECK_SECONDS } from '../../src/edge/haproxy';
import { HAPROXY_IMAGE } from '../../src/edge/options';
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
  test("its chart's namespace must be a Kubernetes namespace name: it is written into every object", () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'Not A Namespace; x' });
    expect(errorOf(() => new EdgeProxy(chart, 'red', RED))).toContain(
      'the edge proxy chart\'s namespace "Not A Namespace; x" is not valid: expected a Kubernetes namespace name',
    );
  });

  test('is a ConfigMap with the configuration, a Deployment of the official image, a disruption budget and a LoadBalancer Service, and no Secret', () => {
    const { proxy, objects, byKind } = synthProxy();
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
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
    expect(container.name).toBe('haproxy');
    expect(container.image).toBe(HAPROXY_IMAGE);
    expect(HAPROXY_IMAGE).toMatch(/^haproxy:2\.8\.\d+$/); // the 2.8 LTS branch, pinned
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    // the image's entrypoint adds -W -db (master-worker): the master writes its pid where the reloader reads it
    expect(container.args).toEqual(['-f', '/usr/local/etc/haproxy-edge/config/haproxy.cfg', '-p', CONTAINER_PID_FILE]);
    expect(container.ports).toEqual([
      { containerPort: 8443, name: 'https' },
      { containerPort: 8080, name: 'http' },
    ]);
    expect(container.securityContext).toMatchObject({ runAsUser: 99, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(deployment.spec.replicas).toBe(2);
    // a new configuration rolls the pods
    expect(deployment.spec.template.metadata.annotations['checksum/haproxy.cfg']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the image is an option, for HAProxy and its reloader alike', () => {
    const { byKind } = synthProxy({ ...RED, haproxy: { image: 'registry.example.org/haproxy:2.8.99' } });
    const pod = byKind('Deployment')[0].spec.template.spec;
    expect(pod.containers.map((c: any) => c.image)).toEqual(['registry.example.org/haproxy:2.8.99', 'registry.example.org/haproxy:2.8.99']);
  });

  test('meets the Pod Security "restricted" profile, on the unprivileged ports its configuration binds', () => {
    const { proxy, byKind } = synthProxy();
    const pod = byKind('Deployment')[0].spec.template.spec;
    // restricted: every container drops ALL capabilities, no privilege escalation, not root; seccomp RuntimeDefault
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 99, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.hostNetwork).toBe(false);
    expect(pod.containers).toHaveLength(2);
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.securityContext.seccompProfile?.type ?? pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    }
    expect(pod.volumes.map((v: any) => Object.keys(v).filter((k) => k !== 'name')[0]).sort()).toEqual(['configMap', 'emptyDir', 'secret']); // no hostPath
    // without NET_BIND_SERVICE a process binds ports from 1024 only: what haproxy.cfg binds is what the container declares
    const bound = [...proxy.haproxyConfig.matchAll(/^\s*bind \S*:(\d+)/gm)].map((m) => Number(m[1])).sort();
    expect(bound).toEqual([8080, 8443]);
    expect(bound.every((p) => p >= 1024)).toBe(true);
    expect(pod.containers[0].ports.map((p: any) => p.containerPort).sort()).toEqual(bound);
  });

  test('has a liveness probe besides the readiness probe, on the HTTPS port', () => {
    const { byKind } = synthProxy();
    const [container] = byKind('Deployment')[0].spec.template.spec.containers;
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 8443 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8443 });
    // a liveness probe that fails before the proxy could be ready would restart it for ever
    expect(container.livenessProbe.initialDelaySeconds * 1).toBeGreaterThan(0);
  });

  test('with more than one replica: a disruption budget and a spread over nodes, selecting its own pods', () => {
    const { byKind } = synthProxy({ ...RED, haproxy: { replicas: 3 } });
    const [deployment] = byKind('Deployment');
    const labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.replicas).toBe(3);
    const [pdb] = byKind('PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.metadata).toMatchObject({ name: 'wire-edge-red-example-com', namespace: 'wire-edge' });
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    const [spread] = deployment.spec.template.spec.topologySpreadConstraints;
    expect(spread).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, labelSelector: { matchLabels: labels } });
  });

  test('with one replica: no disruption budget (it would block every drain) and no spread', () => {
    const { byKind } = synthProxy({ ...RED, haproxy: { replicas: 1 } });
    expect(byKind('PodDisruptionBudget')).toEqual([]);
    expect(byKind('Deployment')[0].spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('a reloader beside HAProxy watches the mounted certificate and signals the HAProxy master of its own pod', () => {
    const { byKind } = synthProxy();
    const pod = byKind('Deployment')[0].spec.template.spec;
    const [haproxy, reloader] = pod.containers;
    expect(pod.shareProcessNamespace).toBe(true); // kill reaches the other container's process
    expect(reloader.name).toBe('reload-certificate');
    expect(reloader.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    const script: string = reloader.command[2];
    expect(script).toContain(`pidfile=${CONTAINER_PID_FILE}`);
    expect(script).toContain(`tls=${CONTAINER_TLS_DIR}`);
    expect(script).toContain(`sleep ${RELOAD_CHECK_SECONDS}`);
    expect(script).toContain('kill -USR2');
    // both see the pid file's folder and the certificate; the reloader reads only
    const mounts = (c: any) => Object.fromEntries(c.volumeMounts.map((m: any) => [m.name, m]));
    expect(mounts(haproxy).run).toEqual({ mountPath: CONTAINER_RUN_DIR, name: 'run' });
    expect(mounts(reloader).run).toEqual({ mountPath: CONTAINER_RUN_DIR, name: 'run', readOnly: true });
    expect(mounts(reloader).tls).toEqual(mounts(haproxy).tls);
    expect(pod.volumes.find((v: any) => v.name === 'run').emptyDir).toBeDefined();
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
    expect(proxy.expectedSecret.description).toContain('ca.crt (required: HAProxy verifies the backend with it');
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
