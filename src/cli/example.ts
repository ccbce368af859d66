/** What `init` writes: the guide's three domains, every option shown. */
export const EXAMPLE_CONFIG = `# cdk8s-wire-multi-ingress configuration: the guide's three domains.
# Check it:  cdk8s-wire-multi-ingress validate --config multi-ingress.yaml
# Write it:  cdk8s-wire-multi-ingress synth --config multi-ingress.yaml --out synth-out
# Every key is described in the JSON Schema shipped in the package
# (schema/multi-ingress.schema.json); only defaultDomain is required.

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

# Your existing values, merged under the multi-ingress settings, inline or
# from a file relative to this one (not both):
# wireServerValuesFile: values/wire-server/values.yaml
# webappValues: { replicaCount: 3 }
# ingressServicesValues: {}

# Routes for team-settings and account-pages. Default: true.
teamSettings: true
accountPages: true
`;
