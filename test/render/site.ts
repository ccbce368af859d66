/**
 * An operator's site, as the render tests give it to the library and helm:
 * the non-secret site values of wire-server (the databases and services the
 * charts need to render at all, under the library's multi-ingress values)
 * and dummy secret values made in the test. Written for these tests; only
 * the keys the 5.29 charts need, with made-up hosts of a `site.internal` zone.
 */

const CASSANDRA = { host: 'cassandra.site.internal' };
const RABBITMQ = { host: 'rabbitmq.site.internal' };
const POSTGRESQL = { host: 'postgresql.site.internal', port: '5432', user: 'wire', dbname: 'wire' };

/**
 * The site values of wire-server (the operator's `wireServerValues`). The
 * single-domain URLs the charts require name the default domain, as an
 * operator's values would; the library replaces the multi-ingress ones.
 */
export function wireServerSiteValues(defaultDomain: string): { [key: string]: any } {
  return {
    'tags': { proxy: false, legalhold: false, federation: false },
    'cassandra-migrations': { cassandra: CASSANDRA },
    'elasticsearch-index': { elasticsearch: { host: 'elasticsearch.site.internal' }, cassandra: CASSANDRA },
    'brig': {
      config: {
        cassandra: CASSANDRA,
        elasticsearch: { host: 'elasticsearch.site.internal' },
        rabbitmq: RABBITMQ,
        postgresql: POSTGRESQL,
        useSES: false,
        aws: { region: 'eu-west-1', sqsEndpoint: 'http://sqs.site.internal:4568', internalQueue: 'brig-events-internal', prekeyTable: 'brig-prekeys' },
        externalUrls: {
          nginz: `https://nginz-https.${defaultDomain}`,
          teamSettings: `https://teams.${defaultDomain}`,
          teamCreatorWelcome: `https://teams.${defaultDomain}/login`,
          teamMemberWelcome: `https://webapp.${defaultDomain}/download`,
        },
        emailSMS: {
          general: {
            emailSender: `noreply@${defaultDomain}`,
            smsSender: 'site',
            templateBranding: {
              brand: 'Site',
              brandUrl: `https://webapp.${defaultDomain}`,
              brandLabel: 'Site',
              brandLabelUrl: `https://webapp.${defaultDomain}`,
              brandLogoUrl: `https://webapp.${defaultDomain}/logo.png`,
              brandService: 'Site',
              copyright: 'Site',
              misuse: `misuse@${defaultDomain}`,
              legal: `https://webapp.${defaultDomain}/legal/`,
              forgot: `https://account.${defaultDomain}/forgot/`,
              support: `https://webapp.${defaultDomain}/support/`,
            },
          },
        },
        smtp: { host: 'smtp.site.internal', port: 25, connType: 'plain' },
      },
    },
    'cannon': { config: { rabbitmq: RABBITMQ, cassandra: CASSANDRA } },
    'cargohold': { config: { aws: { region: 'eu-west-1', s3Bucket: 'assets', s3Endpoint: 'http://s3.site.internal:9000' } } },
    'galley': { config: { cassandra: CASSANDRA, rabbitmq: RABBITMQ, postgresql: POSTGRESQL, aws: { region: 'eu-west-1' } } },
    'gundeck': {
      config: {
        redis: { host: 'redis.site.internal' },
        rabbitmq: RABBITMQ,
        cassandra: CASSANDRA,
        aws: {
          account: '123456789012',
          region: 'eu-west-1',
          arnEnv: 'site',
          queueName: 'gundeck-events',
          sqsEndpoint: 'http://sqs.site.internal:4568',
          snsEndpoint: 'http://sns.site.internal:4575',
        },
      },
    },
    'nginz': { nginx_conf: { dns_resolver: 'coredns', env: 'prod' } },
    'spar': {
      config: {
        cassandra: CASSANDRA,
        domain: defaultDomain,
        // single-domain SAML settings; with the library's SSO option, domainConfigs replaces them
        appUri: `https://nginz-https.${defaultDomain}`,
        ssoUri: `https://nginz-https.${defaultDomain}/sso`,
        maxttlAuthreq: 28800,
        maxttlAuthresp: 28800,
        contacts: [{ type: 'ContactSupport', company: 'Site', email: `email:support@${defaultDomain}` }],
      },
    },
    'background-worker': {
      config: { rabbitmq: RABBITMQ, cassandra: CASSANDRA, cassandraGalley: CASSANDRA, cassandraBrig: CASSANDRA, postgresql: POSTGRESQL },
    },
  };
}

/** wire-server's secret values (the operator's secrets.yaml): a dummy for every secret the charts read. */
export function wireServerSecretValues(dummy: (what: string) => string): { [key: string]: any } {
  const rabbitmq = (who: string) => ({ username: `${who}-user`, password: dummy(`${who} rabbitmq password`) });
  const aws = (who: string) => ({ awsKeyId: `${who}-key-id`, awsSecretKey: dummy(`${who} aws secret key`) });
  return {
    'brig': {
      secrets: {
        pgPassword: dummy('brig postgresql password'),
        rabbitmq: rabbitmq('brig'),
        smtpPassword: dummy('smtp password'),
        zAuth: { publicKeys: dummy('zauth public key'), privateKeys: dummy('zauth private key') },
        turn: { secret: dummy('turn secret') },
        ...aws('brig'),
      },
    },
    'galley': { secrets: { pgPassword: dummy('galley postgresql password'), rabbitmq: rabbitmq('galley'), ...aws('galley') } },
    'cannon': { secrets: { rabbitmq: rabbitmq('cannon') } },
    'gundeck': { secrets: { rabbitmq: rabbitmq('gundeck'), ...aws('gundeck') } },
    'cargohold': { secrets: aws('cargohold') },
    'nginz': { secrets: { zAuth: { publicKeys: dummy('zauth public key') }, basicAuth: dummy('basic auth') } },
    'proxy': { secrets: { proxy_config: dummy('proxy config') } },
    'background-worker': { secrets: { pgPassword: dummy('background-worker postgresql password'), rabbitmq: rabbitmq('background-worker') } },
  };
}
