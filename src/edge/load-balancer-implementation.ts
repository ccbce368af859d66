/**
 * The load balancer implementation of the cluster, which decides how a
 * `LoadBalancer` Service asks for its address. Exactly one way is emitted:
 * implementations refuse or ignore the others (MetalLB refuses a Service that
 * sets both `metallb.io/loadBalancerIPs` and `spec.loadBalancerIP` and gives
 * it no address).
 */
export class LoadBalancerImplementation {
  /**
   * MetalLB 0.14.9 or later: the annotation `metallb.io/loadBalancerIPs`
   * (MetalLB's `controller/service.go`; the `metallb.io/` prefix exists from
   * 0.14.9 on). The default.
   */
  public static metallb(): LoadBalancerImplementation {
    return new LoadBalancerImplementation('metallb', 'MetalLB 0.14.9 or later', ['metallb.io/loadBalancerIPs'], false);
  }

  /**
   * MetalLB before 0.14.9: the annotation `metallb.universe.tf/loadBalancerIPs`.
   * (MetalLB releases that read no such annotation take `spec.loadBalancerIP`:
   * use `specLoadBalancerIp()` for them.)
   */
  public static metallbLegacy(): LoadBalancerImplementation {
    return new LoadBalancerImplementation('metallb-legacy', 'MetalLB before 0.14.9', ['metallb.universe.tf/loadBalancerIPs'], false);
  }

  /**
   * kube-vip (0.5.12 or later) with or without kube-vip-cloud-provider: the
   * annotation `kube-vip.io/loadbalancerIPs`, which kube-vip reads before
   * `spec.loadBalancerIP`.
   */
  public static kubeVip(): LoadBalancerImplementation {
    return new LoadBalancerImplementation('kube-vip', 'kube-vip', ['kube-vip.io/loadbalancerIPs'], false);
  }

  /**
   * `spec.loadBalancerIP` only, no address annotation: cloud providers that
   * honour the field (deprecated by Kubernetes 1.24, still served), and
   * releases of MetalLB that read no annotation.
   */
  public static specLoadBalancerIp(): LoadBalancerImplementation {
    return new LoadBalancerImplementation('spec-load-balancer-ip', 'spec.loadBalancerIP', [], true);
  }

  /**
   * An implementation of your own that reads the address from annotations:
   * each of these annotation keys gets the domain's address, and
   * `spec.loadBalancerIP` is not set.
   *
   * @param keys the annotation keys, e.g. `['lb.example.com/address']`
   */
  public static annotations(keys: string[]): LoadBalancerImplementation {
    return new LoadBalancerImplementation('annotations', `the annotation(s) ${(Array.isArray(keys) ? keys : [keys]).map((k) => JSON.stringify(k)).join(', ')}`, keys, false);
  }

  /**
   * @param name short name, as the command line's configuration writes it, e.g. `metallb`
   * @param description what the implementation is, for messages
   * @param addressAnnotations annotation keys that get the address
   * @param setsLoadBalancerIp whether `spec.loadBalancerIP` gets the address
   */
  private constructor(
    public readonly name: string,
    public readonly description: string,
    public readonly addressAnnotations: string[],
    public readonly setsLoadBalancerIp: boolean,
  ) {}
}

/**
 * The annotation keys with which the known implementations read a Service's
 * address. None of them may come in through the annotations every domain's
 * Service shares: an address there would be every domain's.
 */
export const KNOWN_ADDRESS_ANNOTATIONS: readonly string[] = [
  'metallb.io/loadBalancerIPs',
  'metallb.universe.tf/loadBalancerIPs',
  'kube-vip.io/loadbalancerIPs',
];
