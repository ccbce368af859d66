import { ValuesPlan } from './compose';
import { Values } from './merge';

/** The placeholder webapp replaces with the request's domain (`ENABLE_DYNAMIC_HOSTNAME`). */
export const HOSTNAME = '[[hostname]]';

const CSP_SOURCES = [
  'IMG', 'SCRIPT', 'DEFAULT', 'FONT', 'FRAME', 'MANIFEST', 'OBJECT', 'MEDIA', 'PREFETCH', 'STYLE', 'WORKER',
];

/**
 * webapp chart values: one release serves every domain. With
 * `ENABLE_DYNAMIC_HOSTNAME` the webapp fills in `[[hostname]]` from the
 * request, so no real domain appears here (that would link the domains).
 *
 * The guide's feature flags are defaults the operator's base values may
 * override; the host-name settings are multi-ingress settings over them.
 */
export function webappPlan(sso: boolean): ValuesPlan {
  const h = HOSTNAME;
  const url = (host: string) => `https://${host}`;
  const envVars: Values = {
    ENABLE_DYNAMIC_HOSTNAME: 'true',
    URL_ACCOUNT_BASE: url(`account.${h}`),
    URL_PRIVACY_POLICY: `${url(`www.${h}`)}/terms-conditions`,
    URL_SUPPORT_BASE: `${url(`www.${h}`)}/support`,
    URL_TEAMS_BASE: url(`teams.${h}`),
    URL_TEAMS_CREATE: url(`teams.${h}`),
    URL_TERMS_OF_USE_PERSONAL: `${url(`www.${h}`)}/terms-conditions`,
    URL_TERMS_OF_USE_TEAMS: `${url(`www.${h}`)}/terms-conditions`,
    URL_WEBSITE_BASE: url(`www.${h}`),
    CSP_EXTRA_CONNECT_SRC: `https://*.${h}, wss://*.${h}`,
  };
  for (const source of CSP_SOURCES) {
    envVars[`CSP_EXTRA_${source}_SRC`] = `https://*.${h}`;
  }
  return {
    chart: 'webapp',
    defaults: {
      envVars: {
        APP_NAME: 'Webapp',
        ENFORCE_HTTPS: 'true',
        FEATURE_CHECK_CONSENT: 'false',
        FEATURE_ENABLE_ACCOUNT_REGISTRATION: 'true',
        FEATURE_ENABLE_DEBUG: 'false',
        FEATURE_ENABLE_PHONE_LOGIN: 'false',
        FEATURE_ENABLE_SSO: sso ? 'true' : 'false',
        FEATURE_SHOW_LOADING_INFORMATION: 'false',
      },
    },
    overlay: {
      // the default nginx-ingress-services release owns the webapp-http Service and selects app: webapp
      appendReleaseNameToResources: false,
      ingress: { enabled: false },
      config: {
        externalUrls: {
          backendRest: `nginz-https.${h}`,
          backendWebsocket: `nginz-ssl.${h}`,
          backendDomain: h,
          backendTeamSettings: `teams.${h}`,
          appHost: `webapp.${h}`,
        },
      },
      envVars,
    },
    owned: [['config', 'externalUrls']],
    conflicts: [
      { path: ['webappDomain'], reason: 'a fixed webapp domain would serve one domain only; multi-ingress uses [[hostname]]' },
    ],
    secretHint: 'the webapp needs no secret values',
  };
}
