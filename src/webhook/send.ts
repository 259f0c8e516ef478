// One HTTP try of a webhook: POST the body to the checked address (the lookup answers with it, so the connection goes
// where the check looked: no DNS rebinding), no redirect followed, 10 s for the whole exchange, and only the first
// characters of the answer kept.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT_BYTES = 500;

export type SendResult = { statusCode: number | null; error: string | null; excerpt: string; durationMs: number };

export function sendWebhook(
  target: { url: URL; address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
): Promise<SendResult> {
  const started = Date.now();
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: Date.now() - started });
    };
    const req = client.request(
      target.url,
      {
        method: 'POST',
        lookup,
        agent: false,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) res.destroy();
        });
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          finish({ statusCode: res.statusCode ?? null, error: null, excerpt });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ statusCode: null, error: `No answer within ${WEBHOOK_TIMEOUT_MS / 1000} s.`, excerpt: '' });
    }, WEBHOOK_TIMEOUT_MS);
    req.on('error', (err) => finish({ statusCode: null, error: describeError(err), excerpt: '' }));
    req.end(body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'Connection refused.';
  if (err.code === 'ECONNRESET') return 'The connection was reset.';
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT')) return `TLS error (${err.code}).`;
  return err.code ? `Network error (${err.code}).` : 'Network error.';
}
