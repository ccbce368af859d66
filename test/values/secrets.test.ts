import { Chart, Testing } from 'cdk8s';
import { MultiIngressBackend, MultiIngressBackendProps, ReleaseFormat } from '../../src';
import { isSecretKeyName, privateKeyIn } from '../../src/values/merge';
import { GUIDE, errorOf, synth } from '../util';

/** Key material made up for these tests (not keys: the markers are what is detected). */
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'bm90IGEga2V5IGF0IGFsbCwganVzdCBhIHRlc3Q=', '-----END RSA PRIVATE KEY-----', ''].join('\n');
const PGP = ['-----BEGIN PGP PRIVATE KEY BLOCK-----', '', 'lQOYBGN0ZXN0AQgAbm90IGEga2V5', '-----END PGP PRIVATE KEY BLOCK-----', ''].join('\n');
const OPENSSH = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=', '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
const PUTTY = ['PuTTY-User-Key-File-3: ssh-ed25519', 'Encryption: none', 'Comment: test', 'Public-Lines: 2', 'AAAAC3NzaC1lZDI1NTE5', 'Private-Lines: 1', 'AAAAIG5vdCBhIGtleQ==', ''].join('\n');
const JWK = { kty: 'OKP', crv: 'Ed25519', x: 'bm90LWEta2V5LXB1YmxpYw', d: 'bm90LWEta2V5LXByaXZhdGU' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

const FORMATS: Array<[string, ReleaseFormat | undefined]> = [
  ['helmchart', undefined],
  ['flux', ReleaseFormat.flux()],
  ['values', ReleaseFormat.valuesFiles()],
];

/** Everything a deployment writes: manifests and files. */
function everythingWritten(props: MultiIngressBackendProps): { text: string; warnings: string[] } {
  const emitted = synth(props);
  return { text: [emitted.yaml, ...Object.values(emitted.files)].join('\n'), warnings: [...emitted.backend.warnings] };
}

function refused(props: MultiIngressBackendProps): string {
  return errorOf(() => new MultiIngressBackend(new Chart(Testing.app(), 'wire'), 'backend', props));
}

describe('secrets in base values are removed by their key name, at any depth, inside lists too', () => {
  const cases: Array<[string, Partial<MultiIngressBackendProps>, string, string]> = [
    ['secrets inside a list', { wireServerValues: { brig: { extraContainers: [{ name: 'side', secrets: { token: 'tok-list-4711' } }] } } }, 'brig.extraContainers[0].secrets', 'tok-list-4711'],
    ['smtp.password', { wireServerValues: { brig: { config: { smtp: { host: 'smtp.example.org', password: 'smtp-pass-4711' } } } } }, 'brig.config.smtp.password', 'smtp-pass-4711'],
    ['aws.secretAccessKey', { wireServerValues: { cargohold: { config: { aws: { s3Bucket: 'a', secretAccessKey: 'aws-secret-4711' } } } } }, 'cargohold.config.aws.secretAccessKey', 'aws-secret-4711'],
    ['zauth.privateKeys', { wireServerValues: { brig: { zauth: { privateKeys: 'zauth-private-4711' } } } }, 'brig.zauth.privateKeys', 'zauth-private-4711'],
    ['a password in a list of maps', { webappValues: { extra: [{ user: 'u' }, { DB_PASSWORD: 'db-pass-4711' }] } }, 'extra[1].DB_PASSWORD', 'db-pass-4711'],
    ['a token in the ingress values', { ingressServicesValues: { monitoring: { token: 'ingress-token-4711' } } }, 'monitoring.token', 'ingress-token-4711'],
  ];
  for (const [format, releaseFormat] of FORMATS) {
    test.each(cases)(`%s (${format})`, (_name, values, path, secret) => {
      const { text, warnings } = everythingWritten({ ...GUIDE, ...values, releaseFormat });
      expect(text).not.toContain(secret);
      const warning = warnings.find((w) => w.includes(`removed "${path}"`));
      expect(warning).toBeDefined();
      expect(warning).not.toContain(secret);
    });
  }

  test('names that refer to a secret, not hold one, are kept', () => {
    for (const key of ['secretName', 'existingSecret', 'passwordFile', 'tokenTimeout', 'sessionTokenTimeout', 'accessKeyId', 'setPasswordHashingOptions']) {
      expect(isSecretKeyName(key)).toBe(false);
    }
    for (const key of ['secrets', 'password', 'smtpPassword', 'DB_PASSWD', 'secretAccessKey', 'privateKeys', 'private_key', 'token', 'client-secret', 'keyPassphrase']) {
      expect(isSecretKeyName(key)).toBe(true);
    }
  });
});

describe('a private key is refused wherever it is, whatever its key is called, with its path', () => {
  test.each([
    ['a PEM key', PEM, 'a private key'],
    ['a PGP private key block', PGP, 'a private key'],
    ['an OpenSSH key', OPENSSH, 'a private key'],
    ['a PuTTY key', PUTTY, 'a private key'],
    ['a base64-encoded PEM key (a kubeconfig client-key-data)', b64(PEM), 'a base64-encoded private key'],
    ['a base64-encoded PEM key wrapped at 76 columns', b64(PEM + PEM).replace(/(.{76})/g, '$1\n'), 'a base64-encoded private key'],
    ['a base64-encoded OpenSSH key inside a longer text', `key: ${b64(OPENSSH)} # copied`, 'a base64-encoded private key'],
    ['a base64-encoded PEM key right after other letters', `abc${b64(PEM)}`, 'a base64-encoded private key'],
    ['a private JSON Web Key as JSON text', JSON.stringify(JWK), 'a private JSON Web Key'],
  ])('%s', (_name, text, kind) => {
    expect(privateKeyIn(text)).toBe(kind);
    const message = refused({ ...GUIDE, wireServerValues: { brig: { config: { list: ['x', { blob: text }] } } } });
    expect(message).toContain('private key at "brig.config.list[1].blob"');
    expect(message).not.toContain(text.slice(40, 60));
  });

  test.each([
    ['a private JSON Web Key as data', JWK],
    ['a JSON Web Key Set with a private key', { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }, { kty: 'oct', k: 'c2VjcmV0' }] }],
  ])('%s', (_name, value) => {
    const message = refused({ ...GUIDE, webappValues: { config: { jwk: value } } });
    expect(message).toContain('private key at "config.jwk"');
  });

  test('public keys, certificates and their base64 are not private keys', () => {
    const cert = ['-----BEGIN CERTIFICATE-----', 'bm90IGEgY2VydGlmaWNhdGU=', '-----END CERTIFICATE-----'].join('\n');
    const pub = ['-----BEGIN PUBLIC KEY-----', 'bm90IGEga2V5', '-----END PUBLIC KEY-----'].join('\n');
    for (const text of [cert, pub, b64(cert), b64(pub), JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' }), 'a'.repeat(400)]) {
      expect(privateKeyIn(text)).toBeUndefined();
    }
    const { text } = everythingWritten({ ...GUIDE, wireServerValues: { brig: { config: { caCert: cert, jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] } } } } });
    expect(text).toContain('BEGIN CERTIFICATE');
  });
});
