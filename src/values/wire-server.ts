import { CallingOptions } from '../calling';
import { WireDomain } from '../domain';
import { SsoOptions } from '../sso';
import { Topology } from '../topology';
import { ValuesPlan } from './compose';
import { Values } from './merge';

/** The deeplink document nginz serves for one domain (`/deeplink.json`). */
export function deeplink(domain: WireDomain): Values {
  return {
    endpoints: {
      backendURL: domain.https(domain.nginzHttps),
      backendWSURL: domain.https(domain.nginzSsl),
      blackListURL: `${domain.https(`clientblacklist.${domain.name}`)}/prod`,
      teamsURL: domain.https(domain.teams),
      accountsURL: domain.https(domain.account),
      websiteURL: domain.https(),
    },
    title: `Production ${domain.name}`,
  };
}

/** The SCIM base URI used when the operator sets none. */
export function defaultScimBaseUri(topology: Topology): string {
  const d = topology.defaultDomain.domain;
  return `${d.https(d.nginzHttps)}/scim/v2`;
}

/**
 * wire-server umbrella chart values for multi-ingress, per
 * `wire-charts.md`: galley, cargohold, cannon, nginz and (with SSO) spar.
 * Every per-domain map is keyed by the `Z-Host` nginz forwards
 * (`nginz-https.<d>`) except nginz's own deeplink map, keyed by bare domain.
 */
export function wireServerPlan(topology: Topology, sso?: SsoOptions, calling?: CallingOptions): ValuesPlan {
  const all = topology.all.map((e) => e.domain);
  const additional = topology.additional.map((e) => e.domain);
  const byZHost = (value: (d: WireDomain) => unknown): Values => Object.fromEntries(all.map((d) => [d.nginzHttps, value(d)]));

  const overlay: Values = {
    galley: {
      config: {
        settings: {
          conversationCodeURI: null,
          multiIngress: byZHost((d) => `${d.https(d.account)}/conversation-join/`),
        },
      },
    },
    cargohold: {
      config: {
        aws: {
          s3DownloadEndpoint: null,
          cloudFront: null,
          multiIngress: byZHost((d) => d.https(d.assets)),
        },
      },
    },
    cannon: {
      nginx_conf: {
        // cannon's CORS map prepends external_env_domain to the additional domains;
        // without it the default domain's origins render as "https://webapp."
        external_env_domain: topology.defaultDomain.domain.name,
        additional_external_env_domains: additional.map((d) => d.name),
      },
    },
    nginz: {
      nginx_conf: {
        external_env_domain: topology.defaultDomain.domain.name,
        additional_external_env_domains: additional.map((d) => d.name),
        deeplink: deeplink(topology.defaultDomain.domain),
        multi_ingress_deeplink: Object.fromEntries(additional.map((d) => [d.name, deeplink(d)])),
      },
    },
  };
  if (sso) {
    overlay.spar = {
      config: {
        appUri: null,
        ssoUri: null,
        contacts: null,
        scimBaseUri: sso.scimBaseUri ?? defaultScimBaseUri(topology),
        domainConfigs: byZHost((d) => ({
          appUri: d.https(d.webapp),
          ssoUri: `${d.https(d.nginzHttps)}/sso`,
          contacts: sso.contacts.map((c) => ({ ...c })),
        })),
      },
    };
  }

  if (calling) {
    // one calling infrastructure for every domain: brig hands these to all clients
    overlay.brig = {
      turn: { serversSource: 'files' },
      turnStatic: { v1: [], v2: [...calling.turnUris] },
      ...(calling.sftUrl === undefined ? {} : { config: { optSettings: { setSftStaticUrl: calling.sftUrl } } }),
    };
  }

  return {
    chart: 'wire-server',
    defaults: {},
    overlay,
    owned: [
      ['galley', 'config', 'settings', 'multiIngress'],
      ['cargohold', 'config', 'aws', 'multiIngress'],
      ['cannon', 'nginx_conf', 'external_env_domain'],
      ['cannon', 'nginx_conf', 'additional_external_env_domains'],
      ['nginz', 'nginx_conf', 'external_env_domain'],
      ['nginz', 'nginx_conf', 'additional_external_env_domains'],
      ['nginz', 'nginx_conf', 'deeplink'],
      ['nginz', 'nginx_conf', 'multi_ingress_deeplink'],
      ...(sso ? [['spar', 'config', 'domainConfigs'], ['spar', 'config', 'scimBaseUri']] : []),
      ...(calling ? [['brig', 'turnStatic'], ['brig', 'turn', 'serversSource']] : []),
      ...(calling?.sftUrl !== undefined ? [['brig', 'config', 'optSettings', 'setSftStaticUrl']] : []),
    ],
    conflicts: [
      {
        path: ['galley', 'config', 'settings', 'conversationCodeURI'],
        reason: 'galley refuses conversationCodeURI together with multiIngress; guest links now use each domain\'s account pages',
      },
      {
        path: ['cargohold', 'config', 'aws', 's3DownloadEndpoint'],
        reason: 'cargohold exits at start-up when s3DownloadEndpoint is combined with multiIngress',
      },
      {
        path: ['cargohold', 'config', 'aws', 'cloudFront'],
        reason: 'cargohold exits at start-up when cloudFront is combined with multiIngress',
      },
      ...(sso
        ? [
          { path: ['spar', 'config', 'appUri'], reason: 'spar domainConfigs replaces the single-domain appUri' },
          { path: ['spar', 'config', 'ssoUri'], reason: 'spar domainConfigs replaces the single-domain ssoUri' },
          { path: ['spar', 'config', 'contacts'], reason: 'spar domainConfigs replaces the single-domain contacts (set them in the sso option)' },
        ]
        : []),
    ],
    secretHint: 'put secret values into the wire-server secrets values file the release reads from a Secret (see expectedSecrets)',
  };
}
