/**
 * The audit and the values checks see a domain however it is written: in
 * punycode or Unicode form, percent-encoded, with full-width letters or
 * ideographic dots, as a value or as a key. And a domain that mixes scripts
 * (a homoglyph) is reported.
 */
import { ApiObject } from 'cdk8s';
import { deployment, fails, ingressOf, passes } from './helpers';
import { FindingSeverity, MultiIngressBackendProps } from '../../src';
import { scriptsOf } from '../../src/audit/checks';
import { domainsNamedIn } from '../../src/values/merge';
import { errorOf } from '../util';

const MUNICH = 'münchen-messenger.de';
const MUNICH_ASCII = 'xn--mnchen-messenger-jzb.de';
const THREE: MultiIngressBackendProps = {
  defaultDomain: 'green.example.org',
  additionalDomains: ['red.example.com', MUNICH],
  ingressNames: { 'red.example.com': 'red', [MUNICH]: 'munich' },
};

/** Every spelling of a host name under `red.example.com` that a browser or resolver reads as it. */
const RED_SPELLINGS: Array<[string, string]> = [
  ['plain', 'https://assets.red.example.com/x'],
  ['percent-encoded dots', 'https://assets.red%2Eexample%2ecom/x'],
  ['percent-encoded letters', 'https://%61ssets.%72ed.example.com/x'],
  ['ideographic full stops', 'assets\u3002red\u3002example\u3002com'],
  ['full-width dots', 'assets\uff0ered\uff0eexample\uff0ecom'],
  ['half-width ideographic full stops', 'assets\uff61red\uff61example\uff61com'],
  ['full-width letters', '\uff41\uff53\uff53\uff45\uff54\uff53.red.example.com'],
  ['upper case and a trailing dot', 'ASSETS.Red.Example.COM.'],
];

describe('domainsNamedIn reads every spelling', () => {
  const names = new Set(['red.example.com', MUNICH_ASCII]);
  test.each(RED_SPELLINGS)('%s', (_name, text) => {
    expect(domainsNamedIn(text, names).map((m) => m.domain)).toEqual(['red.example.com']);
  });

  test.each([
    ['Unicode form', `https://webapp.${MUNICH}/`],
    ['punycode form', `https://webapp.${MUNICH_ASCII}/`],
    ['Unicode form, upper case', 'https://WEBAPP.MÜNCHEN-MESSENGER.DE/'],
    ['percent-encoded UTF-8', 'https://webapp.m%C3%BCnchen-messenger.de/'],
  ])('%s of an IDN', (_name, text) => {
    expect(domainsNamedIn(text, names).map((m) => m.domain)).toEqual([MUNICH_ASCII]);
  });

  test('a look-alike is not the domain, and other text names nothing', () => {
    expect(domainsNamedIn('red.example.com.evil.org red-example.com rеd.example.com', names).map((m) => m.domain)).toEqual([]);
  });
});

describe('ingress values that name another domain are found in any spelling, as values and as keys', () => {
  const cases: Array<[string, unknown, string]> = [
    ['the Unicode form as a value', { extra: { link: `https://webapp.${MUNICH}/` } }, MUNICH_ASCII],
    ['the Unicode form as a key', { extra: { [`webapp.${MUNICH}`]: 'x' } }, MUNICH_ASCII],
    ['a domain as a key', { extra: { 'red.example.com': 'x' } }, 'red.example.com'],
    ['a percent-encoded domain', { extra: { link: 'https://red%2Eexample%2Ecom/' } }, 'red.example.com'],
    ['a full-width spelling', { extra: { link: 'red\uff0eexample\uff0ecom' } }, 'red.example.com'],
  ];
  test.each(cases)('%s', (_name, ingressServicesValues, named) => {
    const { report } = fails({ ...THREE, ingressServicesValues: ingressServicesValues as any });
    const findings = report.findings.filter((f) => f.check === 'foreign-domain' && f.domains[1] === named);
    // every other domain's release shows it
    const all = ['green.example.org', 'red.example.com', MUNICH_ASCII];
    expect(findings.map((f) => f.domains[0]).sort()).toEqual(all.filter((d) => d !== named).sort());
  });
});

describe('webapp values and load balancer annotations that name a domain are refused in any spelling', () => {
  test.each([
    ['the Unicode form as a value', { envVars: { CUSTOM_HELP_LINK: `https://help.${MUNICH}` } }],
    ['the Unicode form as a key', { config: { [MUNICH]: true } }],
    ['a domain as a key', { config: { 'red.example.com': true } }],
    ['a percent-encoded domain', { envVars: { CUSTOM_HELP_LINK: 'https://help.red%2eexample%2ecom' } }],
  ])('webapp values: %s', (_name, webappValues) => {
    expect(errorOf(() => deployment({ ...THREE, webappValues }))).toMatch(/webapp values mention "(red\.example\.com|xn--mnchen-messenger-jzb\.de)"/);
  });

  test.each([
    ['the Unicode form', { 'example.org/note': `served with ${MUNICH}` }],
    ['a domain as the key', { [`${MUNICH}/note`]: 'x' }],
  ])('annotations: %s', (_name, annotations) => {
    const entryPoints = {
      backendAddress: '192.0.2.1',
      addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', [MUNICH]: '198.51.100.30' },
      loadBalancer: { annotations },
    };
    expect(errorOf(() => deployment({ ...THREE, entryPoints }))).toContain(`loadBalancer.annotations mention "${MUNICH_ASCII}"`);
  });

  test('an object added to a domain with a Unicode spelling of another domain in an annotation is reported by the audit', () => {
    const { report } = fails(THREE, (backend) => {
      const red = ingressOf(backend, 'red.example.com');
      new ApiObject(red, 'extra', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extra', annotations: { 'example.org/seen-at': `webapp.${MUNICH}` } } });
    });
    expect(report.findings.some((f) => f.check === 'foreign-domain' && f.domains[0] === 'red.example.com' && f.domains[1] === MUNICH_ASCII)).toBe(true);
  });
});

describe('domains that mix scripts', () => {
  test('a homoglyph of another domain (a Cyrillic "а" in "exаmple") is a warning that shows its Unicode form', () => {
    const homoglyph = 'ex\u0430mple.com';
    const { report } = passes({ defaultDomain: 'example.com', additionalDomains: [homoglyph] });
    const [finding] = report.findings.filter((f) => f.check === 'mixed-script');
    expect(finding).toMatchObject({ id: 'mixed-script:xn--exmple-4nf.com', severity: FindingSeverity.WARNING, value: homoglyph });
    expect(finding.message).toBe(`xn--exmple-4nf.com is written "${homoglyph}": its label "${'ex\u0430mple'}" mixes Latin and Cyrillic letters`);
  });

  test('one script per label, or scripts written together, is no finding', () => {
    const { report } = passes({ defaultDomain: 'example.com', additionalDomains: [MUNICH, 'пример.рф', 'ελληνικά.gr', '東京ビル.jp', 'abc漢字.jp'] });
    expect(report.findings.filter((f) => f.check === 'mixed-script')).toEqual([]);
  });

  test('scriptsOf tells the scripts of a label apart', () => {
    expect(scriptsOf('ex\u0430mple')).toEqual(['Latin', 'Cyrillic']);
    expect(scriptsOf('p\u03b1ypal')).toEqual(['Latin', 'Greek']);
    expect(scriptsOf('münchen-2')).toEqual(['Latin']);
  });
});
