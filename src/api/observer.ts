// A test hook: when the app is built with `apiObserver` (tests/helpers/apiAnswers.ts), every answer of the API
// is handed to it as sent (method, path under /api, status, content type, headers, body text), so the tests can
// check each against the OpenAPI document. Without an observer nothing is installed.
import type { RequestHandler } from 'express';

export type ApiAnswer = {
  method: string;
  /** The path under /api, e.g. `/v1/customers/12` (no query string). */
  path: string;
  status: number;
  contentType: string | undefined;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as sent ('' for none). */
  body: string;
};

export type ApiObserver = (answer: ApiAnswer) => void;

/** Collects what the answer writes and reports it just before it ends, so the test sees it before its client. */
export function observeApiAnswers(observer: ApiObserver): RequestHandler {
  return (req, res, next) => {
    const method = req.method;
    const path = req.path;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
      else
        chunks.push(Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    (res as unknown as { write: typeof write }).write = (...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    };
    (res as unknown as { end: typeof end }).end = (...args: unknown[]) => {
      keep(args[0], args[1]);
      const contentType = res.get('content-type');
      observer({
        method,
        path,
        status: res.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        headers: res.getHeaders() as ApiAnswer['headers'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      return end(...args);
    };
    next();
  };
}
