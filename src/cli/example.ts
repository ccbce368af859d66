/** What `init` writes: the guide's three domains, every option shown. */
export const EXAMPLE_CONFIG = `# yaml-language-server: $schema=./node_modules/cdk8s-wire-multi-ingress/schema/multi-ingress.schema.json
# cdk8s-wire-multi-ingress configuration: the guide's three domains.
# Check it:  npx cdk8s-wire-multi-ingress validate --config multi-ingress.yaml
# Write it:  npx cdk8s-wire-multi-ingress synth --config multi-ingress.yaml --out synth-out
# Every key is described in the JSON Schema shipped in the package
# (schema/multi-ingress.schema.json; the first line points editors with the YAML
# language server at it when the package is installed here); only defaultDomain is required.

# The domain wire-server was first deployed with.
defaultDomain: green.example.org

# The other domains; each gets its own ingress release, certificate and issuer.
additionalDomains:
  - red.example.com
  - blue.example.net

# Short names of the additional domains' ingresses (release nginx-ingress-services-<name>).
# Default: the domain with dots as hyphens.
ingressNames:
  red.example.com: red
  blue.example.net: blue

# Namespace of every release (wire-server's). Default: wire.
namespace: wire

# How each domain gets its certificate. Default: mode own-certificate, where
# you create a Secret per domain (the synth lists them).
# tls:
#   mode: cert-manager
#   certmasterEmail: hostmaster@{domain}   # {domain}: one mailbox per domain
#   issuerKind: Issuer                     # or ClusterIssuer
tls:
  mode: own-certificate

# How the releases are deployed: helmchart (k3s/RKE2, default), flux, argocd
# or values (values files and deploy.sh). --format overrides the type when
# the file sets no options of another type.
format:
  type: helmchart
  # namespace: kube-system   # helmchart: where the HelmChart objects and Secrets go
  # timeout: 15m0s

# Each domain's own public entry point (addresses from the documentation
# ranges here), where its DNS records point: a load balancer Service per
# domain in front of the ingress controller (wire.k8s.yaml). The files of an
# HAProxy VPS per domain (haproxy.cfg, certbot.sh, DNS records) are written
# below edge/<domain>/ too, for serving a domain through a VPS instead.
# A domain has one entry point: for in-cluster edge proxies in an edge
# cluster (edge.k8s.yaml) instead of the load balancers, set
# loadBalancer: { enabled: false } and edgeProxies: true. Leave entryPoints
# out for none.
entryPoints:
  addresses:
    green.example.org: 203.0.113.10
    red.example.com: 198.51.100.20
    blue.example.net: "2001:db8::30"
  # the backend's own public address, where the edge proxies forward to
  backendAddress: 192.0.2.1
  loadBalancer:
    # how each Service asks for its address: metallb (MetalLB 0.14.9 or
    # later), metallb-legacy, kube-vip, spec-load-balancer-ip (cloud), or
    # { annotations: [key, ...] }. On k3s, ServiceLB gives only one
    # LoadBalancer Service ports 80 and 443: run k3s with --disable servicelb
    # and MetalLB.
    implementation: metallb
    # sourceRanges: []
    # externalDns: false
  # edgeProxies: false
  # edgeProxyNamespace: wire-edge
  # haproxy: { certificateDirectory: /etc/haproxy/certs, httpRedirect: true }
  # dns: { ttl: 3600, wildcard: false }

# Your existing values, merged under the multi-ingress settings, inline or
# from a file relative to this one (not both):
# wireServerValuesFile: values/wire-server/values.yaml
# webappValues: { replicaCount: 3 }
# ingressServicesValues: {}

# Routes for team-settings and account-pages. Default: true.
teamSettings: true
accountPages: true
`;
