import { isIP } from 'net';
import { quote } from './errors';

/**
 * The calling infrastructure (coturn and SFT) of the deployment.
 *
 * Calling cannot be split per domain: every domain's clients get the same
 * TURN servers and the same SFT, so these endpoints are shared by all
 * domains. The guide recommends a shared cloud calling service whose host
 * names name none of the domains. The unlinkability audit always reports the
 * shared calling infrastructure, and an endpoint under one of the domains as
 * an error (it would show that domain to the clients of every other one).
 */
export interface CallingOptions {
  /**
   * TURN server URIs handed to every client, e.g.
   * `turn:turn.calling.example:3478` or `turns:turn.calling.example:5349?transport=tcp`.
   * Written to brig's `turnStatic.v2` (the legacy `v1` list is emptied, as in
   * wire-server-deploy's production values) with `turn.serversSource: files`.
   */
  readonly turnUris: string[];

  /**
   * URL of the SFT (conference calling) service, e.g.
   * `https://sft.calling.example:443`. Written to brig's
   * `optSettings.setSftStaticUrl`.
   *
   * @default - not set by multi-ingress (your wire-server values decide)
   */
  readonly sftUrl?: string;
}

/** RFC 7065 TURN URI: turn(s):host[:port][?transport=udp|tcp]. */
const TURN_URI = /^turns?:(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?(\?transport=(udp|tcp))?$/i;
const SFT_URL = /^https:\/\/(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?\/?$/i;

/** Check the calling options; every problem names the value and what was expected. */
export function checkCalling(calling: CallingOptions): CallingOptions {
  if (calling === null || typeof calling !== 'object') {
    throw new Error(`calling ${quote(calling)} is not valid: expected { turnUris, sftUrl? }`);
  }
  if (!Array.isArray(calling.turnUris) || calling.turnUris.length === 0) {
    throw new Error(`calling.turnUris ${quote(calling.turnUris)} is not valid: expected a non-empty list of TURN URIs such as "turn:turn.calling.example:3478"`);
  }
  for (const uri of calling.turnUris) {
    if (typeof uri !== 'string' || !TURN_URI.test(uri) || !validHost(uri.replace(/^turns?:/i, ''))) {
      throw new Error(
        `calling.turnUris entry ${quote(uri)} is not valid: expected "turn:<host>[:<port>][?transport=udp|tcp]" or "turns:..." ` +
          '(e.g. "turn:turn.calling.example:3478")',
      );
    }
  }
  if (calling.sftUrl !== undefined && (typeof calling.sftUrl !== 'string' || !SFT_URL.test(calling.sftUrl))) {
    throw new Error(`calling.sftUrl ${quote(calling.sftUrl)} is not valid: expected "https://<host>[:<port>]" such as "https://sft.calling.example:443"`);
  }
  return calling;
}

/** The host of a TURN URI body (`host[:port][?...]`) is a DNS name or an IP address. */
function validHost(rest: string): boolean {
  const hostPort = rest.replace(/\?.*$/, '');
  const bracketed = /^\[(.*)\]/.exec(hostPort);
  if (bracketed) {
    return isIP(bracketed[1]) === 6;
  }
  const host = hostPort.replace(/:\d+$/, '');
  return isIP(host) === 4 || /[a-z]/i.test(host);
}
