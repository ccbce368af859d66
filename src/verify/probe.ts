/**
 * The probes `verify` runs, with Node's own dns, tls, http and https modules
 * (no program is run): each one bounded by a timeout, none throws.
 */
import * as dns from 'dns';
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';

/** Where to connect: an address and a port. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** A resolver for the system's servers, or for the given ones (`ip[:port]`). */
export function resolver(servers: readonly string[], timeoutMs: number): dns.promises.Resolver {
  const r = new dns.promises.Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length > 0) r.setServers([...servers]);
  return r;
}

/** The A and AAAA addresses of a name, and why there are none when it has none (a name without an address does not resolve, whatever each query said). */
export async function addressesOf(r: dns.promises.Resolver, name: string): Promise<{ addresses: string[]; error?: string }> {
  const errors: string[] = [];
  const query = async (f: (n: string) => Promise<string[]>) => {
    try {
      return await f(name);
    } catch (e) {
      errors.push((e as NodeJS.ErrnoException).code ?? (e as Error).message);
      return [];
    }
  };
  const [v4, v6] = await Promise.all([query((n) => r.resolve4(n)), query((n) => r.resolve6(n))]);
  const addresses = [...v4, ...v6.map((a) => a.toLowerCase())];
  return addresses.length > 0 ? { addresses } : { addresses, error: errors.length > 0 ? [...new Set(errors)].join('/') : 'no A or AAAA record' };
}

/** The NS names and the SOA of a zone. */
export async function zoneOf(r: dns.promises.Resolver, zone: string): Promise<{ ns: string[]; soa?: dns.SoaRecord; error?: string }> {
  const errors: string[] = [];
  const ns = await r.resolveNs(zone).catch((e) => {
    errors.push(`NS ${(e as NodeJS.ErrnoException).code ?? e}`);
    return [] as string[];
  });
  const soa = await r.resolveSoa(zone).catch((e) => {
    errors.push(`SOA ${(e as NodeJS.ErrnoException).code ?? e}`);
    return undefined;
  });
  return { ns: ns.map((n) => n.toLowerCase().replace(/\.$/, '')).sort(), soa, ...(errors.length > 0 ? { error: errors.join(', ') } : {}) };
}

/** What a TLS handshake showed. */
export interface TlsResult {
  /** Why no handshake happened. */
  readonly error?: string;
  /** The server's certificate with its chain. */
  readonly cert?: tls.DetailedPeerCertificate;
  /** Why the chain does not verify against the trusted CAs, if it does not. */
  readonly untrusted?: string;
  /** Why the certificate is not valid for the SNI name, if it is not. */
  readonly nameMismatch?: string;
}

/** A TLS handshake with `servername` as SNI; the chain checked against `ca` (or the system's CAs), the name with Node's rules. */
export function tlsHandshake(to: Endpoint, servername: string, ca: string | undefined, timeoutMs: number): Promise<TlsResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: TlsResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    const socket = tls.connect({ host: to.ip, port: to.port, servername, ...(ca === undefined ? {} : { ca }), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    socket.setTimeout(timeoutMs, () => done({ error: `no TLS handshake within ${timeoutMs} ms` }));
    socket.once('error', (e) => done({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true);
      if (!cert || Object.keys(cert).length === 0) {
        done({ error: 'the server sent no certificate' });
        return;
      }
      const mismatch = tls.checkServerIdentity(servername, cert);
      done({
        cert,
        ...(socket.authorized ? {} : { untrusted: String(socket.authorizationError) }),
        ...(mismatch ? { nameMismatch: mismatch.message } : {}),
      });
    });
  });
}

/** The DNS names a certificate is for (subjectAltName, and the subject's CN). */
export function certificateNames(cert: tls.PeerCertificate): string[] {
  const sans = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  const cn = cert.subject?.CN;
  const cns = (Array.isArray(cn) ? cn : cn === undefined ? [] : [cn]).map((c) => c.toLowerCase());
  return [...new Set([...sans, ...cns])];
}

/** What an HTTP(S) request got. */
export interface HttpResult {
  readonly error?: string;
  readonly status?: number;
  /** Header names (lower case) and values, as received. */
  readonly headers: Array<[string, string]>;
  readonly body: string;
}

/** The most of a body that is read. */
const MAX_BODY = 1024 * 1024;

/**
 * One request: HTTPS with `sni` (the chain is not enforced here, the TLS
 * probe reports it) or plain HTTP, with the given Host and other headers.
 * It ends within `timeoutMs` in all, however slowly the server answers, and
 * reads at most MAX_BODY bytes of the body (an endless body is cut there).
 */
export function request(
  scheme: 'https' | 'http',
  to: Endpoint,
  options: { sni?: string; host: string; path: string; headers?: { [name: string]: string }; ca?: string; timeoutMs: number },
): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(r);
    };
    const common = { host: to.ip, port: to.port, method: 'GET', path: options.path, agent: false as const, headers: { ...options.headers, host: options.host } };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        done({ status: res.statusCode, headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= MAX_BODY) answer(); // what is read is all that is looked at
      });
      res.on('end', answer);
      res.on('error', (e) => done({ error: e.message, headers: [], body: '' }));
    };
    const ca = options.ca === undefined ? {} : { ca: options.ca };
    const tlsOptions = { servername: options.sni ?? options.host, rejectUnauthorized: false, ...ca };
    const req = scheme === 'https' ? https.request({ ...common, ...tlsOptions }, onResponse) : http.request(common, onResponse);
    // a deadline for the whole exchange (a socket's own timeout is only for silence, which a trickle never is)
    const deadline = setTimeout(() => done({ error: `no answer within ${options.timeoutMs} ms`, headers: [], body: '' }), options.timeoutMs);
    req.once('error', (e) => done({ error: (e as NodeJS.ErrnoException).code ?? e.message, headers: [], body: '' }));
    req.end();
  });
}

/** Run `tasks` with at most `limit` at once; results in the order of the tasks. */
export async function pool<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>, onDone?: (finished: number) => void): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
      onDone?.(++finished);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
