// Views are compiled once in production (Express's view cache and EJS's cache), and re-read from disk
// on every render in development and tests, so an edited template shows at once.
import { afterAll, describe, expect, it } from 'vitest';
import { buildLoggedApp, createEmptyDatabase, removeTempDirs } from './support.ts';

afterAll(() => removeTempDirs());

const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'view-cache-secret-view-cache-secret-01',
  SMTP_URL: 'smtp://127.0.0.1:9',
  APP_URL: 'https://crm.test',
};

describe('the view cache', () => {
  it('is on in production', async () => {
    const built = buildLoggedApp(await createEmptyDatabase(), { env: production });
    try {
      expect(built.app.enabled('view cache')).toBe(true);
    } finally {
      await built.close();
    }
  });

  it('is off outside production', async () => {
    const built = buildLoggedApp(await createEmptyDatabase());
    try {
      expect(built.app.enabled('view cache')).toBe(false);
    } finally {
      await built.close();
    }
  });
});
