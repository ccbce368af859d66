/**
 * verify's probes against servers that never finish: real sockets on
 * loopback (Node's own servers), each one answering in a way a broken or
 * hostile endpoint could. Every probe must end on its own: verify runs in
 * monitoring, where a probe that waits forever is an alert that never comes.
 */
import * as http from 'http';
import * as net from 'net';
import { Endpoint, request, tlsHandshake } from '../../src/verify/probe';

/** Long enough that only a probe that never ends reaches it. */
const HUNG_AFTER_MS = 10_000;
jest.setTimeout(3 * HUNG_AFTER_MS);

/** The probe's result, or 'hung' when it has not ended after HUNG_AFTER_MS. */
async function unlessHung<T>(probe: Promise<T>): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HUNG_AFTER_MS)));
  try {
    return await Promise.race([probe, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** A server on 127.0.0.1 for one test; every connection is ended with it. */
async function serve(server: net.Server): Promise<{ to: Endpoint; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const to = { ip: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
  return {
    to,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A timer for each connection that writes with `write` every `ms` until the connection closes. */
function every(ms: number, socket: net.Socket, write: () => void): void {
  const timer = setInterval(write, ms);
  socket.on('close', () => clearInterval(timer));
}

describe('every probe ends on its own', () => {
  test('an HTTP answer whose body trickles in, a byte at a time: the probe ends at its timeout', async () => {
    // each byte comes long before the timeout: only a deadline for the whole exchange ends it
    const server = await serve(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        every(50, res.socket!, () => res.write('x'));
      }),
    );
    try {
      const r = await unlessHung(request('http', server.to, { host: 'webapp.red.example.com', path: '/', timeoutMs: 400 }));
      expect(r).toEqual({ error: 'no answer within 400 ms', headers: [], body: '' });
    } finally {
      await server.close();
    }
  });

  test('an endless body: the probe takes its first MiB and ends, long before its timeout', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = await serve(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        every(1, res.socket!, () => res.write(chunk));
      }),
    );
    try {
      const r = await unlessHung(request('http', server.to, { host: 'webapp.red.example.com', path: '/', timeoutMs: 3 * HUNG_AFTER_MS }));
      expect(r === 'hung' ? r : { status: r.status, error: r.error, bodyLength: r.body.length, allA: /^a*$/.test(r.body) }).toEqual({ status: 200, error: undefined, bodyLength: 1024 * 1024, allA: true });
    } finally {
      await server.close();
    }
  });

  test('a TLS server whose handshake trickles in: the probe ends at its timeout', async () => {
    // a handshake record of 16 KiB announced, then sent a byte every 50 ms (a TLS socket's timeout for
    // silence counts what TLS delivers, not the raw bytes: this held before the HTTP deadline too)
    const server = await serve(
      net.createServer((socket) => {
        socket.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]));
        every(50, socket, () => socket.write(Buffer.from([0x02])));
      }),
    );
    try {
      const r = await unlessHung(tlsHandshake(server.to, 'nginz-https.red.example.com', undefined, 400));
      expect(r).toEqual({ error: 'no TLS handshake within 400 ms' });
    } finally {
      await server.close();
    }
  });
});
