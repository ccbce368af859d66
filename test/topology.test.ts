import { errorOf } from './util';
import { buildTopology, checkIngressName, deriveIngressName, ingressReleaseName } from '../src/topology';

const DEFAULT_RELEASE = 'nginx-ingress-services';
// helm-controller names each release's Job "helm-install-<release>", a label value of at most 63 characters
const MAX_RELEASE_NAME = 63 - 'helm-install-'.length;
const MAX_INGRESS_NAME = MAX_RELEASE_NAME - `${DEFAULT_RELEASE}-`.length;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A domain of three 40-character labels (122 characters). */
function longDomain(first: string, second: string, third: string): string {
  return [first, second, third].map((c) => c.repeat(40)).join('.');
}

describe('buildTopology', () => {
  test('lists the default domain first, then the additional ones in the given order', () => {
    const topology = buildTopology('Default.Example.com', ['red.example.com', 'BLUE.example.org.', 'green.example.net'], undefined);

    expect(topology.all.map((e) => e.domain.name)).toEqual(['default.example.com', 'red.example.com', 'blue.example.org', 'green.example.net']);
    expect(topology.all[0]).toBe(topology.defaultDomain);
    expect(topology.all.slice(1)).toEqual(topology.additional);
    expect([...topology.names].sort()).toEqual(['blue.example.org', 'default.example.com', 'green.example.net', 'red.example.com']);
  });

  test('the default domain keeps ingressName "" and the release nginx-ingress-services', () => {
    const { defaultDomain } = buildTopology('default.example.com', ['red.example.com'], undefined);
    expect(defaultDomain).toMatchObject({ isDefault: true, ingressName: '', releaseName: DEFAULT_RELEASE });
  });

  test('additional domains get a release named after their ingress name', () => {
    const { additional } = buildTopology('default.example.com', ['red.example.com', 'blue.example.org'], undefined);
    for (const entry of additional) {
      expect(entry.isDefault).toBe(false);
      expect(entry.ingressName).not.toBe('');
      expect(entry.releaseName).toBe(`${DEFAULT_RELEASE}-${entry.ingressName}`);
    }
  });

  test.each([[undefined], [[]]])('additionalDomains %j gives only the default domain', (additionalDomains) => {
    const topology = buildTopology('default.example.com', additionalDomains, undefined);
    expect(topology.additional).toEqual([]);
    expect(topology.all).toEqual([topology.defaultDomain]);
    expect([...topology.names]).toEqual(['default.example.com']);
  });

  test('rejects domains that are duplicates after normalisation', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com', 'Red.Example.com.'], undefined));
    expect(message).toContain(JSON.stringify('Red.Example.com.'));
    expect(message).toContain('duplicate');
  });

  test('rejects the default domain among the additional ones', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com', 'DEFAULT.example.com'], undefined));
    expect(message).toContain(JSON.stringify('DEFAULT.example.com'));
    expect(message).toContain('duplicate');
    expect(message).toContain('default domain');
  });

  test('reports every problem in one error', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['a..b.com', 'red.example.com', 'localhost'], undefined));
    expect(message).toContain('2 problems');
    expect(message).toContain(JSON.stringify('a..b.com'));
    expect(message).toContain(JSON.stringify('localhost'));
    expect(message).not.toContain(JSON.stringify('red.example.com'));
  });

  test('reports problems of the default domain, additional domains and ingress names together', () => {
    const message = errorOf(() => buildTopology('localhost', ['a..b.com', 'red.example.com'], { 'red.example.com': 'Red' }));
    expect(message).toContain('3 problems');
    expect(message).toContain('default domain "localhost"');
    expect(message).toContain('additional domain #1 "a..b.com"');
    expect(message).toContain('ingress name "Red"');
  });
});

describe('derived ingress names', () => {
  test('a short domain becomes its name with dots as hyphens', () => {
    expect(deriveIngressName('red.example.com')).toBe('red-example-com');
    const { additional } = buildTopology('default.example.com', ['red.example.com'], undefined);
    expect(additional[0]).toMatchObject({ ingressName: 'red-example-com', releaseName: `${DEFAULT_RELEASE}-red-example-com` });
  });

  test(`a domain whose name with hyphens has ${MAX_INGRESS_NAME} characters is kept as is`, () => {
    const domain = `${'a'.repeat(MAX_INGRESS_NAME - 4)}.com`;
    expect(deriveIngressName(domain)).toBe(domain.replace(/\./g, '-'));
  });

  test.each([
    ['three 40-character labels', longDomain('a', 'b', 'c')],
    ['a dot where the name is cut', `${'a'.repeat(MAX_INGRESS_NAME - 10)}.${'b'.repeat(40)}.com`],
    [`${MAX_INGRESS_NAME + 1} characters`, `${'a'.repeat(MAX_INGRESS_NAME - 3)}.com`],
    ['30 characters (accepted before the helm-controller Job limit)', `${'a'.repeat(26)}.com`],
  ])('a long domain (%s) gets a short valid name', (_case, domain) => {
    const { additional } = buildTopology('default.example.com', [domain], undefined);
    const { ingressName, releaseName } = additional[0];
    expect(ingressName).toBe(deriveIngressName(domain));
    expect(ingressName.length).toBeLessThanOrEqual(MAX_INGRESS_NAME);
    expect(ingressName).toMatch(DNS_LABEL);
    expect(ingressName).not.toContain('--');
    expect(releaseName.length).toBeLessThanOrEqual(MAX_RELEASE_NAME);
    expect(releaseName).toMatch(DNS_LABEL);
  });

  test('depend on the domain alone, not on the other domains', () => {
    const domain = longDomain('a', 'b', 'c');
    const nameIn = (domains: string[]) => buildTopology('default.example.com', domains, undefined).additional.find((e) => e.domain.name === domain)!.ingressName;

    const alone = nameIn([domain]);
    expect(nameIn(['red.example.com', domain])).toBe(alone);
    expect(nameIn([longDomain('a', 'b', 'd'), domain, 'blue.example.org'])).toBe(alone);
  });

  test('differ for long domains sharing a long common prefix', () => {
    const first = longDomain('a', 'b', 'c');
    const second = longDomain('a', 'b', 'd');
    const { additional } = buildTopology('default.example.com', [first, second], undefined);
    expect(additional[0].ingressName).not.toBe(additional[1].ingressName);
    expect(additional[0].releaseName).not.toBe(additional[1].releaseName);
  });

  test('a collision of two derived names is rejected', () => {
    // both become "a-b-com"
    const message = errorOf(() => buildTopology('default.example.com', ['a-b.com', 'a.b-com'], undefined));
    expect(message).toContain(JSON.stringify('a-b-com'));
    expect(message).toContain('ingressNames');
  });
});

describe('ingressReleaseName', () => {
  test('is nginx-ingress-services for the default domain and prefixed otherwise', () => {
    expect(ingressReleaseName('')).toBe(DEFAULT_RELEASE);
    expect(ingressReleaseName('red')).toBe(`${DEFAULT_RELEASE}-red`);
  });

  test(`a ${MAX_INGRESS_NAME}-character ingress name gives a release name within ${MAX_RELEASE_NAME} characters`, () => {
    expect(ingressReleaseName('a'.repeat(MAX_INGRESS_NAME)).length).toBeLessThanOrEqual(MAX_RELEASE_NAME);
  });
});

describe('checkIngressName', () => {
  test.each(['red', 'r', 'red-1', '1red', 'a'.repeat(MAX_INGRESS_NAME)])('accepts %j', (name) => {
    expect(checkIngressName(name, 'red.example.com')).toBe(name);
  });

  test.each(['Red', 'a'.repeat(MAX_INGRESS_NAME + 1), '', '-red', 'red-', 'red.team', 'red_team'])('rejects %j', (name) => {
    const message = errorOf(() => checkIngressName(name, 'red.example.com'));
    expect(message).toContain(`ingress name ${JSON.stringify(name)}`);
    expect(message).toContain(JSON.stringify('red.example.com'));
  });

  test.each([28, 29, 30])('rejects a %d-character name, which Helm would accept, and says why', (length) => {
    const name = 'a'.repeat(length);
    expect(errorOf(() => checkIngressName(name, 'red.example.com'))).toBe(
      `ingress name "${name}" for "red.example.com" is not valid: expected 1-${MAX_INGRESS_NAME} lower-case letters, digits and hyphens, ` +
        `starting and ending with a letter or digit (it becomes the release name "${DEFAULT_RELEASE}-<name>", at most ${MAX_RELEASE_NAME} characters ` +
        'in every release format: the k3s / RKE2 helm-controller runs each release as a Job named "helm-install-<release name>", ' +
        'a label value of at most 63 characters)',
    );
  });

  test('rejects a non-string', () => {
    expect(() => checkIngressName(7, 'red.example.com')).toThrow('ingress name 7 for "red.example.com" is not valid');
  });
});

describe('operator-chosen ingress names', () => {
  test('are used as given, with keys written un-normalised', () => {
    const { additional } = buildTopology('default.example.com', ['red.example.com', 'blue.example.org'], { 'RED.example.com.': 'red' });
    expect(additional[0]).toMatchObject({ ingressName: 'red', releaseName: `${DEFAULT_RELEASE}-red` });
    expect(additional[1].ingressName).toBe(deriveIngressName('blue.example.org'));
  });

  test('match additional domains written un-normalised', () => {
    const { additional } = buildTopology('default.example.com', [' Red.Example.COM. '], { 'red.example.com': 'red' });
    expect(additional[0].ingressName).toBe('red');
  });

  test.each(['Red', 'a'.repeat(MAX_INGRESS_NAME + 1), '', '-red'])('rejects the invalid name %j', (name) => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com'], { 'red.example.com': name }));
    expect(message).toContain(`ingress name ${JSON.stringify(name)}`);
    expect(message).toContain('not valid');
  });

  test('rejects a key that is not an additional domain', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com'], { 'blue.example.org': 'blue' }));
    expect(message).toContain(JSON.stringify('blue.example.org'));
    expect(message).toContain('not one of the additional domains');
  });

  test('rejects a key that is not a valid domain', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com'], { 'a..b.com': 'red' }));
    expect(message).toContain(JSON.stringify('a..b.com'));
  });

  test('rejects a key equal to the default domain', () => {
    const message = errorOf(() => buildTopology('default.example.com', ['red.example.com'], { 'Default.Example.com': 'main' }));
    expect(message).toContain(JSON.stringify('Default.Example.com'));
    expect(message).toContain('default domain');
    expect(message).toContain('keeps ingressName ""');
  });

  test('rejects the same name chosen for two domains', () => {
    const message = errorOf(() =>
      buildTopology('default.example.com', ['red.example.com', 'blue.example.org'], { 'red.example.com': 'shared', 'blue.example.org': 'shared' }),
    );
    expect(message).toContain(JSON.stringify('red.example.com'));
    expect(message).toContain(JSON.stringify('blue.example.org'));
    expect(message).toContain(JSON.stringify('shared'));
  });

  test.each([
    ['after', ['red.example.com', 'blue.example.org']],
    ['before', ['blue.example.org', 'red.example.com']],
  ])('rejects a chosen name equal to the derived name of a domain listed %s it', (_order, domains) => {
    const derived = deriveIngressName('red.example.com');
    const message = errorOf(() => buildTopology('default.example.com', domains, { 'blue.example.org': derived }));
    expect(message).toContain(JSON.stringify(derived));
    expect(message).toContain(JSON.stringify('red.example.com'));
    expect(message).toContain(JSON.stringify('blue.example.org'));
  });
});

describe('property', () => {
  test('names stay unique and valid over many domains', () => {
    const domains: string[] = [];
    for (let i = 0; i < 250; i++) {
      domains.push(`d${i}.example${i % 7}.com`);
    }
    for (let i = 0; i < 50; i++) {
      domains.push(`${'x'.repeat(40)}${i}.${'y'.repeat(40)}.example.com`);
    }
    expect(new Set(domains).size).toBe(300);

    const topology = buildTopology('default.example.org', domains, undefined);
    expect(topology.additional).toHaveLength(300);
    expect(topology.additional.map((e) => e.domain.name)).toEqual(domains);

    const ingressNames = topology.all.map((e) => e.ingressName);
    const releaseNames = topology.all.map((e) => e.releaseName);
    expect(new Set(ingressNames).size).toBe(301);
    expect(new Set(releaseNames).size).toBe(301);
    for (const entry of topology.additional) {
      expect(entry.ingressName.length).toBeLessThanOrEqual(MAX_INGRESS_NAME);
      expect(entry.ingressName).toMatch(DNS_LABEL);
    }
    for (const releaseName of releaseNames) {
      expect(releaseName.length).toBeLessThanOrEqual(MAX_RELEASE_NAME);
      expect(releaseName).toMatch(DNS_LABEL);
    }
  });
});

test('two ingressNames keys for the same domain are refused', () => {
  expect(() => buildTopology('a.example.com', ['red.example.com'], { 'red.example.com': 'x', 'RED.example.com.': 'y' })).toThrow(
    'ingressNames has two entries for "red.example.com"',
  );
});
