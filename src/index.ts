export * from './charts';
export * from './domain';
export * from './domain-ingress';
export * from './multi-ingress-backend';
export * from './release/release-format';
export { HelmChartFormatOptions } from './release/helm-chart';
export * from './release/release-spec';
export * from './sso';
export * from './tls';
