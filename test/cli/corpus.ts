/**
 * Bad inputs of the command line and the exact error each must give. The
 * file is always written as `multi-ingress.yaml` (or `.json` when `json` is
 * set) in a fresh folder; `{file}` in the expected text stands for its path.
 */
export interface BadConfig {
  readonly name: string;
  readonly content: string | Buffer;
  readonly json?: boolean;
  /** Other files beside the config. */
  readonly extra?: { [name: string]: string };
  /** Command-line flags after `--config FILE --out DIR`. */
  readonly flags?: string[];
  /** The problems, one per line, without the leading two spaces. */
  readonly expected: string[];
}

const GUIDE = 'defaultDomain: green.example.org\nadditionalDomains:\n  - red.example.com\n  - blue.example.net\n';

export const BAD_CONFIGS: BadConfig[] = [
  {
    name: 'unknown load balancer implementation',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.10\n    red.example.com: 198.51.100.20\n    blue.example.net: 198.51.100.7\n  loadBalancer:\n    implementation: metalb\n',
    expected: ['{file}:12: entryPoints.loadBalancer.implementation: expected one of "metallb", "metallb-legacy", "kube-vip", "spec-load-balancer-ip", got the string "metalb"'],
  },
  {
    name: 'shared load balancer annotation that requests an address',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.10\n    red.example.com: 198.51.100.20\n    blue.example.net: 198.51.100.7\n  loadBalancer:\n    annotations:\n      metallb.universe.tf/loadBalancerIPs: 198.51.100.99\n',
    expected: [
      '{file}:13: entryPoints.loadBalancer.annotations.metallb.universe.tf/loadBalancerIPs: loadBalancer.annotations set "metallb.universe.tf/loadBalancerIPs", which requests a load balancer address: ' +
        "each domain's address is requested by loadBalancer.implementation (MetalLB 0.14.9 or later), once, and an annotation shared by every domain's Service would give them all one address (and MetalLB refuses a Service that asks twice); remove it",
    ],
  },
  { name: 'empty file', content: '', expected: ['{file}:1: the file is empty: expected a mapping with at least defaultDomain'] },
  { name: 'only comments', content: '# nothing here\n  # still nothing\n', expected: ['{file}:1: the file is empty: expected a mapping with at least defaultDomain'] },
  {
    name: 'non-UTF-8 bytes',
    content: Buffer.concat([Buffer.from('defaultDomain: green.example.org\nadditionalDomains:\n  - r'), Buffer.from([0xe9]), Buffer.from('d.example.com\n')]),
    expected: ['{file}:3: the file is not valid UTF-8 (byte 57): expected a YAML or JSON file in UTF-8'],
  },
  { name: 'bad indentation', content: 'defaultDomain: green.example.org\n additionalDomains:\n- red.example.com\n', expected: ['{file}:1: not valid YAML: Nested mappings are not allowed in compact mappings (check the indentation of this line and the next ones)'] },
  { name: 'a list at the top', content: '- green.example.org\n', expected: ['{file}:1: the file holds a list: expected a mapping with at least defaultDomain'] },
  { name: 'a scalar at the top', content: 'green.example.org\n', expected: ['{file}:1: the file holds the string "green.example.org": expected a mapping with at least defaultDomain'] },
  { name: 'duplicate key', content: 'defaultDomain: green.example.org\ndefaultDomain: red.example.com\n', expected: ['{file}:2: not valid YAML: the key "defaultDomain" appears twice in one mapping'] },
  { name: 'JSON with a trailing comma', json: true, content: '{"defaultDomain": "green.example.org",}\n', expected: ['{file}:1:39: not valid JSON: a "," before "}": JSON allows no trailing comma'] },
  { name: 'JSON with a trailing comma on a later line', json: true, content: '{\n  "defaultDomain": "green.example.org",\n  "additionalDomains": ["red.example.com",],\n}\n', expected: ['{file}:3:43: not valid JSON: a "," before "]": JSON allows no trailing comma'] },
  { name: 'missing defaultDomain', content: 'additionalDomains: [red.example.com]\n', expected: ['{file}:1: (top level): the key "defaultDomain" is missing'] },
  {
    name: 'a YAML 1.1 word where text is expected',
    content: GUIDE + 'namespace: no\n',
    expected: ['{file}:5: namespace: expected a string, got the boolean false (the plain word no is the boolean false in YAML 1.1, as Helm reads it: write "no" for the text)'],
  },
  {
    name: 'an octal number where text is expected',
    content: GUIDE + 'namespace: 010\n',
    expected: ['{file}:5: namespace: expected a string, got the number 8 (the plain word 010 is the number 8 in YAML 1.1, as Helm reads it: write "010" for the text)'],
  },
  { name: 'defaultDomain is a number', content: 'defaultDomain: 42\n', expected: ['{file}:1: defaultDomain: expected a string, got the number 42'] },
  { name: 'unknown key (typo)', content: GUIDE + 'additionalDomain: [x.example.com]\n', expected: ['{file}:5: additionalDomain: unknown key (did you mean "additionalDomains"?): expected one of defaultDomain, additionalDomains, ingressNames, namespace, wireServerChart, webappChart, ingressServicesChart, wireServerValues, wireServerValuesFile, webappValues, webappValuesFile, ingressServicesValues, ingressServicesValuesFile, wireServerSecretName, teamSettings, accountPages, tls, sso, calling, acknowledgedFindings, emitNamespaces, format, entryPoints'] },
  { name: 'additionalDomains is a string', content: 'defaultDomain: green.example.org\nadditionalDomains: red.example.com\n', expected: ['{file}:2: additionalDomains: expected a list, got the string "red.example.com"'] },
  { name: 'additional domain is a number', content: GUIDE + '  - 42\n', expected: ['{file}:5: additionalDomains[2]: expected a string, got the number 42'] },
  { name: 'empty label', content: GUIDE + '  - red..example.com\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "red..example.com" is not a valid DNS name: empty label (two dots in a row, or a leading dot)'] },
  { name: 'scheme in a domain', content: GUIDE + '  - https://red.example.org\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "https://red.example.org" is not a valid DNS name: it has a scheme; give the bare domain, e.g. "red.example.com" instead of "https://red.example.com"'] },
  { name: 'port in a domain', content: GUIDE + '  - red.example.org:443\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "red.example.org:443" is not a valid DNS name: it has a port; give the bare domain without ":port"'] },
  { name: 'wildcard domain', content: GUIDE + '  - "*.example.org"\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "*.example.org" is not a valid DNS name: wildcards are not allowed; give the domain itself, its host names are derived from it'] },
  { name: 'IP address as a domain', content: GUIDE + '  - 203.0.113.7\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "203.0.113.7" is not a valid DNS name: it is an IP address; expected a DNS domain'] },
  { name: 'single-label domain', content: GUIDE + '  - localhost\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "localhost" is not a valid DNS name: expected at least two labels, e.g. "example.com"'] },
  { name: 'label over 63 characters', content: GUIDE + `  - ${'a'.repeat(64)}.example.org\n`, expected: ['{file}:5: additionalDomains[2]: additional domain #3 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org" is not a valid DNS name: label "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is 64 characters long; at most 63 are allowed'] },
  { name: 'domain over 253 characters', content: GUIDE + `  - ${Array(5).fill('a'.repeat(60)).join('.')}.org\n`, expected: ['{file}:5: additionalDomains[2]: additional domain #3 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org" is not a valid DNS name: it is 308 characters long; at most 253 are allowed'] },
  { name: 'duplicate after normalising', content: GUIDE + '  - Red.Example.COM.\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "Red.Example.COM." is a duplicate: it normalises to "red.example.com", the same as additional domain #1 "red.example.com"'] },
  { name: 'default domain repeated', content: GUIDE + '  - green.example.org\n', expected: ['{file}:5: additionalDomains[2]: additional domain #3 "green.example.org" is a duplicate: it normalises to "green.example.org", the same as the default domain'] },
  { name: 'ingress name for an unknown domain', content: GUIDE + 'ingressNames:\n  yellow.example.org: yellow\n', expected: ['{file}:6: ingressNames.yellow.example.org: ingressNames has an entry for "yellow.example.org", which is not one of the additional domains'] },
  { name: 'ingress name not a DNS label', content: GUIDE + 'ingressNames:\n  red.example.com: Red_1\n', expected: ['{file}:6: ingressNames.red.example.com: ingress name "Red_1" for "red.example.com" is not valid: expected 1-27 lower-case letters, digits and hyphens, starting and ending with a letter or digit (it becomes the release name "nginx-ingress-services-<name>", at most 50 characters in every release format: the k3s / RKE2 helm-controller runs each release as a Job named "helm-install-<release name>", a label value of at most 63 characters)'] },
  { name: 'two domains, one ingress name', content: GUIDE + 'ingressNames:\n  red.example.com: shop\n  blue.example.net: shop\n', expected: ['{file}:6: ingressNames.red.example.com: domains "red.example.com" and "blue.example.net" would both get the ingress name "shop": choose a different one for one of them with ingressNames'] },
  { name: 'namespace not a DNS label', content: GUIDE + 'namespace: Wire\n', expected: ['{file}:5: namespace: namespace "Wire" is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-", starting and ending with a letter or digit); every release goes into the wire-server namespace'] },
  { name: 'wire-server chart below 5.14.0', content: GUIDE + 'wireServerChart:\n  version: 5.13.0\n', expected: ['{file}:6: wireServerChart.version: wire-server chart version "5.13.0" is too old for multi-ingress: at least 5.14.0 (release v2025-04-07) is needed for per-domain deeplinks, unique minio ingress names and spar domainConfigs'] },
  { name: 'chart version not a version', content: GUIDE + 'ingressServicesChart:\n  version: latest\n', expected: ['{file}:6: ingressServicesChart.version: nginx-ingress-services chart version "latest" is not valid: expected an exact version such as "5.32.0"'] },
  { name: 'chart repository not a URL', content: GUIDE + 'webappChart:\n  repository: charts.example.org\n', expected: ['{file}:6: webappChart.repository: webapp chart repository "charts.example.org" is not valid: expected an http(s):// or oci:// URL'] },
  { name: 'unknown key in a chart', content: GUIDE + 'webappChart:\n  tag: 1.0.0\n', expected: ['{file}:6: webappChart.tag: unknown key: expected one of repository, version'] },
  { name: 'unknown TLS mode', content: GUIDE + 'tls:\n  mode: letsencrypt\n', expected: ['{file}:6: tls.mode: expected one of "own-certificate", "cert-manager", got the string "letsencrypt"'] },
  { name: 'cert-manager without an e-mail', content: GUIDE + 'tls:\n  mode: cert-manager\n', expected: ['{file}:6: tls: the key "certmasterEmail" is missing'] },
  { name: 'e-mail with own certificates', content: GUIDE + 'tls:\n  mode: own-certificate\n  certmasterEmail: hostmaster@{domain}\n', expected: ['{file}:7: tls.certmasterEmail: this key does not apply here (tls mode "own-certificate")'] },
  { name: 'e-mail not an address', content: GUIDE + 'tls:\n  mode: cert-manager\n  certmasterEmail: hostmaster\n', expected: ["{file}:6: tls: cert-manager TLS: certmasterEmail \"hostmaster\" is not valid (it has no \"@\"): expected an e-mail address such as \"hostmaster@{domain}\" (Let's Encrypt requires it; \"{domain}\" is replaced by each domain)"] },
  { name: 'unknown issuer kind', content: GUIDE + 'tls:\n  mode: cert-manager\n  certmasterEmail: hostmaster@{domain}\n  issuerKind: Cluster\n', expected: ['{file}:8: tls.issuerKind: expected one of "Issuer", "ClusterIssuer", got the string "Cluster"'] },
  { name: 'unknown format', content: GUIDE + 'format:\n  type: kustomize\n', expected: ['{file}:6: format.type: expected one of "helmchart", "flux", "argocd", "values", got the string "kustomize"'] },
  { name: 'Argo CD option in a Flux format', content: GUIDE + 'format:\n  type: flux\n  project: wire\n', expected: ['{file}:7: format.project: this key does not apply here (format type "flux")'] },
  { name: 'unknown HelmChart failure policy', content: GUIDE + 'format:\n  type: helmchart\n  failurePolicy: uninstall\n', expected: ['{file}:7: format.failurePolicy: expected one of "abort", "reinstall", "retry", got the string "uninstall"'] },
  { name: 'Flux interval not a duration', content: GUIDE + 'format:\n  type: flux\n  interval: soon\n', expected: ['{file}:6: format: Flux interval "soon" is not valid: expected a duration such as "15m0s" or "1h"'] },
  { name: 'Argo CD without a secrets repository', content: GUIDE + 'format:\n  type: argocd\n', expected: ['{file}:6: format: release "wire-server" reads secret values (wire-server-secrets/secrets.yaml), but Argo CD cannot read Helm values from a Secret: give the Argo CD format a secretValuesRepository (the git repository that holds the secret values files; the library never writes them)', '{file}:6: format: release "nginx-ingress-services" reads secret values (nginx-ingress-services-tls/tls-values.yaml), but Argo CD cannot read Helm values from a Secret: give the Argo CD format a secretValuesRepository (the git repository that holds the secret values files; the library never writes them)', '{file}:6: format: release "nginx-ingress-services-red-example-com" reads secret values (nginx-ingress-services-red-example-com-tls/tls-values.yaml), but Argo CD cannot read Helm values from a Secret: give the Argo CD format a secretValuesRepository (the git repository that holds the secret values files; the library never writes them)', '{file}:6: format: release "nginx-ingress-services-blue-example-net" reads secret values (nginx-ingress-services-blue-example-net-tls/tls-values.yaml), but Argo CD cannot read Helm values from a Secret: give the Argo CD format a secretValuesRepository (the git repository that holds the secret values files; the library never writes them)'] },
  { name: 'teamSettings as a string', content: GUIDE + 'teamSettings: "yes"\n', expected: ['{file}:5: teamSettings: expected true or false, got the string "yes"'] },
  { name: 'federation with additional domains', content: GUIDE + 'wireServerValues:\n  tags:\n    federation: true\n', expected: ['{file}:7: wireServerValues.tags.federation: wire-server values set "tags.federation" to true, but federation and multi-ingress cannot be configured together: the additional domains "red.example.com" and "blue.example.net" are served besides the default "green.example.org" (the chart refuses federator.enabled on an additional ingress); disable federation or serve one domain'] },
  {
    name: 'a private key in base values',
    content: GUIDE + 'ingressServicesValues:\n  extra: |\n    -----BEGIN PRIVATE KEY-----\n    bm90IGEga2V5\n    -----END PRIVATE KEY-----\n',
    expected: ['{file}:6: ingressServicesValues.extra: nginx-ingress-services base values contain a private key at "extra": private keys are never written into the output; give each domain its own certificate through the TLS values Secret its release reads (see expectedSecrets)'],
  },
  // reported by the unlinkability audit, once for each domain whose release would show it
  {
    name: 'ingress values name a domain',
    content: GUIDE + 'ingressServicesValues:\n  service:\n    s3:\n      externalHost: s3.red.example.com\n',
    expected: [
      "{file}:8: ingressServicesValues.service.s3.externalHost: unlinkability audit: blue.example.net's release nginx-ingress-services-blue-example-net values at service.s3.externalHost names red.example.com (\"s3.red.example.com\"). Remove \"s3.red.example.com\" from the base values (ingressServicesValues go into every domain's release): host names come from the domain list; or, to accept the link, acknowledge it with acknowledgedFindings: [\"foreign-domain:blue.example.net:red.example.com:9008329f\"]",
      "{file}:8: ingressServicesValues.service.s3.externalHost: unlinkability audit: green.example.org's release nginx-ingress-services values at service.s3.externalHost names red.example.com (\"s3.red.example.com\"). Remove \"s3.red.example.com\" from the base values (ingressServicesValues go into every domain's release): host names come from the domain list; or, to accept the link, acknowledge it with acknowledgedFindings: [\"foreign-domain:green.example.org:red.example.com:f9083067\"]",
    ],
  },
  { name: 'webapp values name a domain', content: GUIDE + 'webappValues:\n  envVars:\n    CUSTOM_HELP_LINK: https://help.blue.example.net\n', expected: ['{file}:7: webappValues.envVars.CUSTOM_HELP_LINK: webapp values mention "blue.example.net" at "envVars.CUSTOM_HELP_LINK" ("https://help.blue.example.net"): one webapp serves every domain, so a real domain there links them; use "[[hostname]]" instead'] },
  { name: 'ingress class that is not nginx', content: GUIDE + 'ingressServicesValues:\n  config:\n    ingressClass: traefik\n', expected: ["{file}:7: ingressServicesValues.config.ingressClass: nginx-ingress-services values set config.ingressClass \"traefik\": multi-ingress renders each domain's CSP in its Ingress, which only works with an ingress-nginx controller (a class whose name contains \"nginx\")"] },
  { name: 'values inline and from a file', content: GUIDE + 'webappValues: {}\nwebappValuesFile: webapp.yaml\n', extra: { 'webapp.yaml': 'replicaCount: 2\n' }, expected: ['{file}:6: webappValuesFile: give either webappValues or webappValuesFile, not both'] },
  { name: 'values file missing', content: GUIDE + 'wireServerValuesFile: values/wire-server.yaml\n', expected: ['{file}:5: wireServerValuesFile: cannot read "values/wire-server.yaml" (no such file): expected a Helm values file, relative to {file}'] },
  { name: 'values file holds a list', content: GUIDE + 'webappValuesFile: webapp.yaml\n', extra: { 'webapp.yaml': '- replicaCount\n' }, expected: ['{file}:5: webappValuesFile: {dir}/webapp.yaml:1: the file holds a list: expected a Helm values file (a mapping)'] },
  { name: 'SSO without contacts', content: GUIDE + 'sso:\n  scimBaseUri: https://nginz-https.green.example.org/scim/v2\n', expected: ['{file}:6: sso: the key "contacts" is missing'] },
  { name: 'SSO contact of an unknown type', content: GUIDE + 'sso:\n  contacts:\n    - type: Support\n', expected: ['{file}:7: sso.contacts[0].type: expected one of "ContactTechnical", "ContactSupport", "ContactAdministrative", "ContactBilling", "ContactOther", got the string "Support"'] },
  { name: 'SSO contact e-mail without a scheme', content: GUIDE + 'sso:\n  contacts:\n    - type: ContactSupport\n      email: support@example.org\n', expected: ['{file}:8: sso.contacts[0].email: e-mail "support@example.org" of SAML contact 1 is not valid: expected a URI such as "email:support@example.com" (spar reads a URI there, not a bare address)'] },
  { name: 'several problems at once', content: 'defaultDomain: Green..example.org\nadditionalDomains:\n  - red.example.com\n  - red.example.com\nnamespace: Wire\n', expected: ['{file}:1: defaultDomain: default domain "Green..example.org" is not a valid DNS name: empty label (two dots in a row, or a leading dot)', '{file}:4: additionalDomains[1]: additional domain #2 "red.example.com" is a duplicate: it normalises to "red.example.com", the same as additional domain #1 "red.example.com"', '{file}:5: namespace: namespace "Wire" is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-", starting and ending with a letter or digit); every release goes into the wire-server namespace'] },
];

BAD_CONFIGS.push(
  {
    name: 'entry points: a domain without an address',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.10\n    red.example.com: 198.51.100.20\n',
    expected: ['{file}:8: entryPoints.addresses: entryPoints.addresses has no address for "blue.example.net": every domain needs its own entry address'],
  },
  {
    name: 'entry points: two domains, one address',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.10\n    red.example.com: 203.0.113.10\n    blue.example.net: 198.51.100.7\n',
    expected: ['{file}:8: entryPoints.addresses.green.example.org: domains "green.example.org" and "red.example.com" have the same entry address "203.0.113.10": each domain needs an address of its own, or an observer sees that they belong together'],
  },
  {
    name: 'entry points: not an IP address',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.300\n    red.example.com: 198.51.100.20\n    blue.example.net: 198.51.100.7\n',
    expected: ['{file}:8: entryPoints.addresses.green.example.org: entry address of "green.example.org" "203.0.113.300" is not valid: expected an IPv4 or IPv6 address such as "203.0.113.10" or "2001:db8::10"'],
  },
  {
    name: 'entry points: a domain at the backend address',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 192.0.2.1\n    red.example.com: 198.51.100.20\n    blue.example.net: 198.51.100.7\n',
    expected: ["{file}:8: entryPoints.addresses.green.example.org: entry address \"192.0.2.1\" of \"green.example.org\" is the backend's address (backendAddress): expected an address of its own, so that the backend stays hidden behind it"],
  },
  {
    name: 'entry points: unknown HAProxy option',
    content: GUIDE + 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses: {}\n  haproxy:\n    maxconn: 100\n',
    // both problems in one run: the empty address map is refused too (each domain needs its own address)
    expected: [
      '{file}:7: entryPoints.addresses: entryPoints.addresses gives no address for any of the 3 domain(s): each needs its own entry address',
      '{file}:9: entryPoints.haproxy.maxconn: unknown key: expected one of certificateDirectory, caFile, httpRedirect, certbotPort, acmeEmail, image, replicas',
    ],
  },
  { name: 'JSON with a duplicate key', json: true, content: '{\n  "defaultDomain": "green.example.org",\n  "namespace": "wire",\n  "namespace": "chat"\n}\n', expected: ['{file}:4: not valid JSON: the key "namespace" appears twice in one object'] },
  // JSON.parse keeps half a surrogate pair; the writer could not, and would refuse it with no line (a fuzz seed found it)
  {
    name: 'JSON with half a surrogate pair in a value',
    json: true,
    content: '{\n  "defaultDomain": "green.example.org",\n  "webappValues": {\n    "a": ["x", "\\ud83d"]\n  }\n}\n',
    expected: ['{file}:4: the escape \\ud83d is half a UTF-16 surrogate pair, which no YAML or UTF-8 file can hold: expected a whole character (the character itself, or both halves, such as \\ud83d\\ude00)'],
  },
  {
    name: 'JSON with the low half of a surrogate pair alone in a key',
    json: true,
    content: '{\n  "defaultDomain": "green.example.org",\n  "webappValues": {"\\\\\\ude00": 1}\n}\n',
    expected: ['{file}:3: the escape \\ude00 is half a UTF-16 surrogate pair, which no YAML or UTF-8 file can hold: expected a whole character (the character itself, or both halves, such as \\ud83d\\ude00)'],
  },
  {
    name: 'JSON with the high half of a surrogate pair before another escape',
    json: true,
    content: '{\n  "defaultDomain": "green.example.org",\n  "webappValues": {"a": "\\ud83d\\u0041"}\n}\n',
    expected: ['{file}:3: the escape \\ud83d is half a UTF-16 surrogate pair, which no YAML or UTF-8 file can hold: expected a whole character (the character itself, or both halves, such as \\ud83d\\ude00)'],
  },
  // JSON.parse reads it as Infinity, which the writer would refuse with no line
  {
    name: 'JSON with a number too large to be one',
    json: true,
    content: '{\n  "defaultDomain": "green.example.org",\n  "webappValues": {\n    "a": [1, -2.5e400]\n  }\n}\n',
    expected: ['{file}:4: the number -2.5e400 is too large: it reads as infinity, which no Helm value can hold: expected a number of at most about 1.8e308, or the string "-2.5e400"'],
  },
  { name: 'JSON with a wrong type', json: true, content: '{\n  "defaultDomain": "green.example.org",\n  "additionalDomains": [\n    "red.example.com",\n    7\n  ]\n}\n', expected: ['{file}:5: additionalDomains[1]: expected a string, got the number 7'] },
);

/** A valid entryPoints section of the guide's domains (lines 5-10 after GUIDE). */
const ENTRY_POINTS = 'entryPoints:\n  backendAddress: 192.0.2.1\n  addresses:\n    green.example.org: 203.0.113.10\n    red.example.com: 198.51.100.20\n    blue.example.net: 198.51.100.7\n';

BAD_CONFIGS.push(
  {
    name: 'edge proxy namespace not a namespace',
    content: GUIDE + ENTRY_POINTS + '  edgeProxies: true\n  edgeProxyNamespace: "Not A Namespace; x"\n',
    expected: [
      '{file}:12: entryPoints.edgeProxyNamespace: edgeProxyNamespace "Not A Namespace; x" is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-", starting and ending with a letter or digit) (the namespace of the in-cluster edge proxies, edge.k8s.yaml)',
    ],
  },
  {
    name: 'ACME e-mail that would run a command',
    content: GUIDE + ENTRY_POINTS + '  haproxy:\n    acmeEmail: "x@{domain};id>/tmp/pwned;:"\n',
    expected: [
      '{file}:12: entryPoints.haproxy.acmeEmail: haproxy.acmeEmail "x@{domain};id>/tmp/pwned;:" is not valid (the part after "@" must be a domain such as "example.com" (letters, digits and "-" in dot-separated labels)): expected an e-mail address such as "hostmaster@{domain}"',
    ],
  },
);

BAD_CONFIGS.push(
  {
    name: 'values file outside the configuration folder',
    content: GUIDE + 'wireServerValuesFile: ../../../../../../../../../../etc/passwd\n',
    expected: [
      '{file}:5: wireServerValuesFile: "../../../../../../../../../../etc/passwd" is outside the folder of {file} (symbolic links followed): expected a Helm values file in that folder or below it; to read a file elsewhere, run with --allow-outside-files',
    ],
  },
  {
    name: 'values file at an absolute path',
    content: GUIDE + 'webappValuesFile: /etc/hostname\n',
    expected: [
      '{file}:5: webappValuesFile: "/etc/hostname" is outside the folder of {file} (symbolic links followed): expected a Helm values file in that folder or below it; to read a file elsewhere, run with --allow-outside-files',
    ],
  },
  {
    name: 'values file in a home folder',
    content: GUIDE + 'webappValuesFile: ~/.kube/config\n',
    expected: ['{file}:5: webappValuesFile: "~/.kube/config" starts with "~", which is not a home folder here: expected a Helm values file relative to {file}'],
  },
  {
    name: 'values file that is a private key',
    content: GUIDE + 'webappValuesFile: key.pem\n',
    extra: { 'key.pem': '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGJ1dCBzZWNyZXQgYW55d2F5\n-----END PRIVATE KEY-----\n' },
    expected: ['{file}:5: webappValuesFile: {dir}/key.pem:1: the file holds the string (a private key, not shown): expected a Helm values file (a mapping)'],
  },
  {
    name: 'values file that is a long text',
    content: GUIDE + 'webappValuesFile: notes.txt\n',
    extra: { 'notes.txt': 'These are the notes of the operator, with the database password hunter2 somewhere in them.\n' },
    expected: ['{file}:5: webappValuesFile: {dir}/notes.txt:1: the file holds the string "These are the notes of the operator, wit"... (90 characters): expected a Helm values file (a mapping)'],
  },
  {
    name: 'JSON that is not JSON near a secret',
    json: true,
    content: '{"defaultDomain": "green.example.org", "token": hunter2-secret}\n',
    expected: ['{file}:1:49: not valid JSON: expected a value, found "h"'],
  },
);

BAD_CONFIGS.push({
  name: 'values file with a YAML error on a line with a secret',
  content: GUIDE + 'wireServerValuesFile: wire-server.yaml\n',
  extra: { 'wire-server.yaml': 'brig:\n  smtp: "hunter2-secret-unterminated\n' },
  expected: ['{file}:5: wireServerValuesFile: {dir}/wire-server.yaml:3: not valid YAML: Missing closing "quote'],
});
