// loadConfig (src/config.ts): defaults, and one line naming the variable for each bad value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has the defaults of SPEC section 8 when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      env: 'development',
      port: 3000,
      databaseUrl: undefined,
      sessionSecret: undefined,
      smtpUrl: undefined,
      mailFrom: 'CRM <no-reply@localhost>',
      appUrl: 'http://localhost:3000',
      logLevel: 'info',
      trustProxy: 0,
      dataDir: '.data',
      jobs: true,
      reminderSweepSeconds: 60,
      webhookAllowPrivate: false,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', SMTP_URL: ' ', NODE_ENV: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      smtpUrl: undefined,
      env: 'development',
    });
  });

  it('reads good values', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/crm',
      SESSION_SECRET: 'x'.repeat(32),
      SMTP_URL: 'smtps://u:p@mail.example.com:465',
      APP_URL: 'https://crm.example.com/',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      DATA_DIR: '/var/lib/crm',
      MAIL_FROM: 'CRM <crm@example.com>',
      JOBS: 'off',
      REMINDER_SWEEP_SECONDS: '15',
    });
    expect(config).toEqual({
      env: 'production',
      port: 8080,
      databaseUrl: 'postgresql://app:pw@db.internal:5432/crm',
      sessionSecret: 'x'.repeat(32),
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      mailFrom: 'CRM <crm@example.com>',
      appUrl: 'https://crm.example.com',
      logLevel: 'warn',
      trustProxy: 1,
      dataDir: '/var/lib/crm',
      jobs: false,
      reminderSweepSeconds: 15,
      webhookAllowPrivate: false,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/crm', PORT: '0' })).toMatchObject({
      databaseUrl: 'postgres://localhost/crm',
      port: 0,
    });
  });

  it('PORT must be a whole number up to 65535', () => {
    expect(errorOf({ PORT: 'abc' })).toBe(
      'Invalid configuration: PORT must be a whole number between 0 and 65535 (got "abc")',
    );
    expect(errorOf({ PORT: '70000' })).toMatch(/^Invalid configuration: PORT .*65535.*"70000"/);
    expect(errorOf({ PORT: '-1' })).toMatch(/^Invalid configuration: PORT /);
    expect(errorOf({ PORT: '80.5' })).toMatch(/^Invalid configuration: PORT /);
  });

  it('REMINDER_SWEEP_SECONDS is a number of seconds from 1 to 9999', () => {
    for (const bad of ['0', '-5', '1.5', 'often', '10000']) {
      expect(errorOf({ REMINDER_SWEEP_SECONDS: bad })).toBe(
        `Invalid configuration: REMINDER_SWEEP_SECONDS must be a number of seconds from 1 to 9999 (got "${bad}")`,
      );
    }
  });

  it('JOBS is on or off', () => {
    expect(errorOf({ JOBS: 'maybe' })).toBe('Invalid configuration: JOBS must be on or off (got "maybe")');
  });

  it('DATABASE_URL must be a postgresql:// URL, and is never echoed (it may hold a password)', () => {
    expect(errorOf({ DATABASE_URL: 'mysql://x' })).toBe(
      'Invalid configuration: DATABASE_URL must be a postgresql:// URL',
    );
    expect(errorOf({ DATABASE_URL: 'mysql://admin:s3cret-pw@db/crm' })).not.toContain('s3cret-pw');
  });

  it('SMTP_URL must be an smtp:// or smtps:// URL, and is never echoed', () => {
    expect(errorOf({ SMTP_URL: 'bad' })).toBe('Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL');
    expect(errorOf({ SMTP_URL: 'http://user:hunter22@mail' })).not.toContain('hunter22');
  });

  it('NODE_ENV=production requires a SESSION_SECRET of at least 32 characters', () => {
    expect(errorOf({ NODE_ENV: 'production' })).toMatch(
      /^Invalid configuration: SESSION_SECRET is required when NODE_ENV=production/,
    );
    const short = errorOf({ NODE_ENV: 'production', SESSION_SECRET: 'short-secret' });
    expect(short).toBe('Invalid configuration: SESSION_SECRET must be at least 32 characters long');
    expect(short).not.toContain('short-secret');
  });

  it('NODE_ENV=production requires SMTP_URL (sign-in codes must not end up only in the log)', () => {
    expect(errorOf({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toBe(
      'Invalid configuration: SMTP_URL is required when NODE_ENV=production (sign-in codes are sent by mail)',
    );
  });

  it('NODE_ENV=production requires APP_URL (invitation and reset links must not point at localhost)', () => {
    const secrets = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example.com:587' };
    expect(errorOf(secrets)).toBe(
      'Invalid configuration: APP_URL is required when NODE_ENV=production (links in mail must use the public address)',
    );
    expect(errorOf({ ...secrets, APP_URL: '  ' })).toMatch(/^Invalid configuration: APP_URL is required/);
    expect(loadConfig({ ...secrets, APP_URL: 'https://crm.example.com' }).appUrl).toBe('https://crm.example.com');
    // Outside production the local address stays the default.
    expect(loadConfig({ NODE_ENV: 'development', PORT: '4000' }).appUrl).toBe('http://localhost:4000');
    expect(loadConfig({ NODE_ENV: 'test' }).appUrl).toBe('http://localhost:3000');
  });

  it('names every other bad variable', () => {
    expect(errorOf({ NODE_ENV: 'staging' })).toMatch(/^Invalid configuration: NODE_ENV .*"staging"/);
    expect(errorOf({ LOG_LEVEL: 'loud' })).toMatch(/^Invalid configuration: LOG_LEVEL /);
    expect(errorOf({ APP_URL: 'ftp://crm' })).toMatch(/^Invalid configuration: APP_URL must be an http\(s\):\/\/ URL/);
    expect(errorOf({ TRUST_PROXY: 'yes' })).toMatch(/^Invalid configuration: TRUST_PROXY /);
  });

  it('lets webhooks reach private addresses only when asked, or in tests', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: '0' }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
