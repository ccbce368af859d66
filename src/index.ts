export { ChartSource, WireCharts } from './charts';
export { WireDomain } from './domain';
export { DomainIngress, DomainIngressProps, IngressReleaseOptions } from './domain-ingress';
export { MultiIngressBackend, MultiIngressBackendProps } from './multi-ingress-backend';
export { HelmChartFormatOptions } from './release/helm-chart';
export { IReleaseRenderer, ReleaseFormat } from './release/release-format';
export { ExpectedSecret, ReleaseSpec, RenderedRelease, SecretValuesReference } from './release/release-spec';
export { SamlContact, SamlContactType, SsoOptions } from './sso';
export { CertManagerTlsOptions, IngressTls, IssuerKind, TlsMode } from './tls';
