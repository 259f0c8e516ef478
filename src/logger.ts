// Structured logs (pino). Secrets never reach a log line: these paths are redacted wherever
// they appear, and request logging records the URL path only, never bodies or cookies.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['password', 'code', 'token', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.code', '*.token', '*.passwordHash'],
      censor: '[redacted]',
    },
  });
}
