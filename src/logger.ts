// Structured logs (pino). Secrets never reach a log line: these paths are redacted wherever
// they appear, and request logging records the URL path only, never bodies or cookies.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` (optional) receives the JSON lines instead of stdout: tests read what was logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          'code',
          'token',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.code',
          '*.token',
          '*.passwordHash',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
