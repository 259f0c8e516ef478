// The only reader of process.env (SPEC section 8). A bad value stops the start with one line
// naming the variable.
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const schema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number between 0 and 65535')
      .transform(Number)
      .refine((n) => n <= 65535, 'must be a whole number between 0 and 65535')
      .default(3000),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((s) => /^postgres(ql)?:\/\/.+/.test(s) && URL.canParse(s), 'must be a postgresql:// URL')
      .optional(),
  ),
  SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters long').optional()),
  SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((s) => /^smtps?:\/\/.+/.test(s) && URL.canParse(s), 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default('CRM <no-reply@localhost>')),
  APP_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TRUST_PROXY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, 'must be the number of proxy hops in front of the app (0 for none)')
      .transform(Number)
      .default(0),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
  // off: this process only enqueues (web processes beside a separate `npm run worker`).
  JOBS: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], 'must be on or off').default('on')),
  // How often a working process looks for due reminders and digests.
  REMINDER_SWEEP_SECONDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[1-9]\d{0,3}$/, 'must be a number of seconds from 1 to 9999')
      .transform(Number)
      .default(60),
  ),
  // 1: webhooks may go to private, loopback and link-local addresses, and over plain http (tests, a local receiver).
  WEBHOOK_ALLOW_PRIVATE: z.preprocess(emptyToUndefined, z.enum(['0', '1'], 'must be 0 or 1').optional()),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string | undefined;
  sessionSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  appUrl: string;
  logLevel: string;
  trustProxy: number;
  dataDir: string;
  /** Whether this process works the job queue (JOBS=on, the default) or only enqueues. */
  jobs: boolean;
  /** Seconds between two reminder sweeps of a working process. */
  reminderSweepSeconds: number;
  /** Webhooks may reach private/loopback addresses and plain http (WEBHOOK_ALLOW_PRIVATE; on by default in tests). */
  webhookAllowPrivate: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const raw = env[name];
    // Never echo secrets back: a URL may carry a password.
    const shown =
      name === 'PORT' ||
      name === 'TRUST_PROXY' ||
      name === 'NODE_ENV' ||
      name === 'LOG_LEVEL' ||
      name === 'JOBS' ||
      name === 'REMINDER_SWEEP_SECONDS' ||
      name === 'WEBHOOK_ALLOW_PRIVATE'
        ? ` (got "${raw}")`
        : '';
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const v = parsed.data;
  if (v.NODE_ENV === 'production' && !v.SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration: SESSION_SECRET is required when NODE_ENV=production (at least 32 characters)',
    );
  }
  if (v.NODE_ENV === 'production' && !v.SMTP_URL) {
    // Without it sign-in codes would only reach the log: nobody could sign in, and codes would sit in logs.
    throw new ConfigError(
      'Invalid configuration: SMTP_URL is required when NODE_ENV=production (sign-in codes are sent by mail)',
    );
  }
  if (v.NODE_ENV === 'production' && !v.APP_URL) {
    // Without it invitation and reset mails would link to http://localhost:PORT, which no recipient can open.
    throw new ConfigError(
      'Invalid configuration: APP_URL is required when NODE_ENV=production (links in mail must use the public address)',
    );
  }
  return {
    env: v.NODE_ENV,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    sessionSecret: v.SESSION_SECRET,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    appUrl: (v.APP_URL ?? `http://localhost:${v.PORT}`).replace(/\/$/, ''),
    logLevel: v.LOG_LEVEL,
    trustProxy: v.TRUST_PROXY,
    dataDir: v.DATA_DIR,
    jobs: v.JOBS === 'on',
    reminderSweepSeconds: v.REMINDER_SWEEP_SECONDS,
    webhookAllowPrivate: (v.WEBHOOK_ALLOW_PRIVATE ?? (v.NODE_ENV === 'test' ? '1' : '0')) === '1',
  };
}
