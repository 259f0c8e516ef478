// Issue 11 item 3: a signed-in request costs the session one read. The stored expiry moves at most once
// a minute (ThrottledPgStore), the 30-minute idle timeout still holds, and changed sessions are saved.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();

/**
 * The statements the app sends about the session table (connect-pg-simple uses pool.query), from now
 * on; this file's own reads (sessionRow, rowState) are left out.
 */
function recordSessionStatements(): string[] {
  const seen: string[] = [];
  const pool = ctx.db.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  pool.query = function (this: unknown, ...args: unknown[]) {
    // A string, or a prepared statement's { name, text } (the session read is one).
    const first = args[0] as string | { text?: string };
    const sql = typeof first === 'string' ? first : (first?.text ?? '');
    if (sql.includes('"session"') && !/^SELECT (sid|xmin)/.test(sql))
      seen.push(sql.trim().split(/\s+/)[0].toUpperCase());
    return original.apply(this, args);
  };
  restore.push(() => {
    pool.query = original;
  });
  return seen;
}
const restore: Array<() => void> = [];

/** The row version (xmin changes with every write) and expiry, read from the database. */
async function rowState(sid: string) {
  const { rows } = await ctx.db.pool.query(
    `SELECT xmin::text AS version, extract(epoch FROM ` +
      `expire::timestamptz) * 1000 AS expires FROM "session" WHERE sid = $1`,
    [sid],
  );
  return rows[0] as { version: string; expires: string } | undefined;
}

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
  vi.useRealTimers();
});

describe('the session row is read, not rewritten, by unchanged requests', () => {
  it('ten signed-in requests within a minute: ten reads, no write; the row keeps its version and expiry', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    const before = (await rowState(sid))!;
    const statements = recordSessionStatements();
    for (let i = 0; i < 10; i++) {
      const res = await s.get(i % 2 ? '/dashboard' : '/profile').expect(200);
      // The cookie still rolls: every response carries the 30-minute expiry.
      expect(sidOf(res)).toBe(sid);
    }
    expect(statements.filter((q) => q === 'SELECT')).toHaveLength(10);
    expect(statements.filter((q) => q !== 'SELECT')).toEqual([]);
    expect(await rowState(sid)).toEqual(before);
    // What is stored is the session, without the expiry the read adds to it.
    expect((await sessionRow(ctx, sid))!.sess).not.toHaveProperty('storedExpiresAt');
  });

  it(
    'once the stored expiry is a minute behind, one request ' +
      'moves it 30 minutes on (one UPDATE), the next ones do not',
    async () => {
      const user = await ctx.make.superuser();
      const s = await signIn(ctx, user);
      const sid = sidOf(await s.get('/dashboard').expect(200));
      // As if the last write had been 61 seconds ago.
      await ctx.db.pool.query(`UPDATE "session" SET expire = expire - interval '61 seconds' WHERE sid = $1`, [sid]);
      const moved = (await rowState(sid))!;
      const statements = recordSessionStatements();
      const sentAt = Date.now();
      await s.get('/dashboard').expect(200);
      expect(statements).toEqual(['SELECT', 'UPDATE']);
      const touched = (await rowState(sid))!;
      expect(touched.version).not.toBe(moved.version);
      expect(Number(touched.expires)).toBeGreaterThanOrEqual(sentAt + 30 * 60_000 - 1000);
      expect(Number(touched.expires)).toBeLessThanOrEqual(Date.now() + 30 * 60_000 + 1000);

      for (let i = 0; i < 5; i++) await s.get('/dashboard').expect(200);
      expect(statements.filter((q) => q !== 'SELECT')).toEqual(['UPDATE']);
      expect(await rowState(sid)).toEqual(touched);
    },
  );

  it('the clock moved 61 seconds on: one write, then none for another minute', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    const first = (await rowState(sid))!;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    const statements = recordSessionStatements();
    for (let i = 0; i < 4; i++) await s.get('/dashboard').expect(200);
    expect(statements.filter((q) => q !== 'SELECT')).toEqual(['UPDATE']);
    expect(Number((await rowState(sid))!.expires) - Number(first.expires)).toBeGreaterThanOrEqual(60_000);
  });
});

describe('the idle timeout still holds', () => {
  it('30 minutes without a request after busy use: the session is gone', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    for (let i = 0; i < 5; i++) await s.get('/dashboard').expect(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 30 * 60_000 + 1000 });
    const res = await s.get('/dashboard');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });

  it('29 minutes after the last write the session still works, and is written again', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 29 * 60_000 });
    const statements = recordSessionStatements();
    await s.get('/dashboard').expect(200);
    expect(statements).toEqual(['SELECT', 'UPDATE']);
    expect(Number((await rowState(sid))!.expires)).toBeGreaterThan(Date.now() + 29 * 60_000);
  });
});

describe('a changed session is still saved at once', () => {
  it('a flash within the same minute is written with the data, and its removal too', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/profile').expect(200));
    const statements = recordSessionStatements();
    await s.post('/profile', { name: 'Renamed', timeZone: 'UTC' }).expect(303);
    expect(statements).toEqual(['SELECT', 'INSERT']);
    const row = (await sessionRow(ctx, sid))!;
    expect(row.sess.flash).toEqual([{ type: 'success', text: 'Profile saved.' }]);
    expect(row.sess).not.toHaveProperty('storedExpiresAt');

    const page = await s.get('/profile').expect(200);
    expect(page.text).toContain('Profile saved.');
    expect(statements).toEqual(['SELECT', 'INSERT', 'SELECT', 'INSERT']);
    expect((await sessionRow(ctx, sid))!.sess.flash ?? []).toEqual([]);
    expect((await s.get('/profile').expect(200)).text).not.toContain('Profile saved.');
    expect(statements.slice(4)).toEqual(['SELECT']);
  });

  it('signing in stores the session (a new row) though nothing was stored for the sign-in page', async () => {
    const user = await ctx.make.superuser();
    const statements = recordSessionStatements();
    const s = await signIn(ctx, user);
    expect(statements.filter((q) => q === 'INSERT').length).toBeGreaterThanOrEqual(1);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    expect((await sessionRow(ctx, sid))!.sess.passport.user).toBe(user.id);
  });
});
