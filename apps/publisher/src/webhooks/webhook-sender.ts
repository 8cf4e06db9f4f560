// One HTTP attempt of a delivery, with the limits that keep a slow or hostile receiver from
// holding the backbone: one deadline for the whole exchange, no redirects, a short excerpt of
// the answer and nothing more read, and the connection made to the address that was checked.
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult } from './webhook-deliveries.store';
import type { CheckedTarget } from './webhook-target';

/** The most of a receiver's answer kept (the delivery log shows it); the rest is not read. */
export const RESPONSE_EXCERPT_BYTES = 256;

export interface Outgoing {
  target: CheckedTarget;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Every name resolves to the checked address: the connection cannot be rebound elsewhere. */
const pinnedLookup =
  (address: string, family: 4 | 6): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };

/** Sends one attempt; never rejects: the result says what happened. */
export function sendAttempt({
  target,
  headers,
  body,
  timeoutMs,
}: Outgoing): Promise<AttemptResult> {
  const startedAt = new Date();
  const started = performance.now();
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'startedAt' | 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ startedAt, durationMs: performance.now() - started, ...result });
    };
    const outgoing = request(target.url, {
      method: 'POST',
      // A connection of its own each time: nothing pooled that another endpoint's hang could hold.
      agent: false,
      lookup: pinnedLookup(target.address, target.family),
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'referral-backbone-webhooks',
      },
      maxHeaderSize: 16 * 1024,
    });
    const deadline = setTimeout(() => {
      outgoing.destroy();
      finish({ error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    outgoing.on('error', (error) => finish({ error: error.message }));
    outgoing.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = (): void => {
        const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
        outgoing.destroy();
        finish({
          status,
          excerpt: excerpt || undefined,
          error:
            status >= 200 && status < 300
              ? undefined
              : status >= 300 && status < 400
                ? `redirect (${status}) not followed`
                : `answered ${status}`,
        });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        kept += chunk.length;
        if (kept >= RESPONSE_EXCERPT_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    outgoing.end(body);
  });
}

export const isSuccess = (result: AttemptResult): boolean =>
  result.status !== undefined && result.status >= 200 && result.status < 300;
