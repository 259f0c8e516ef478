// `npm run createsuperuser` as a script would run it (flags, no terminal), on a fresh database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/account/passwords.ts';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import { killChildren, query, runScript } from './support.ts';

type UserRow = {
  id: number;
  email: string;
  name: string;
  role: string;
  companyId: number | null;
  passwordHash: string;
  active: boolean;
};

let url = '';
beforeAll(async () => {
  url = await createTestDatabaseUrl();
});
afterAll(killChildren);

const users = () =>
  query<UserRow>(url, 'SELECT id, email, name, role, "companyId", "passwordHash", active FROM "User" ORDER BY id');

async function createSuperuser(args: string[]) {
  const child = runScript('src/cli/createSuperuser.ts', args, { DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const exit = await child.exited;
  return { ...exit, stdout: child.stdout(), stderr: child.stderr() };
}

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

// Each test starts a process: on a loaded machine loading the sources alone can take tens of seconds.
describe('createsuperuser', { timeout: 180_000 }, () => {
  it('creates an active SUPERUSER without a company, its password hashed with argon2id', async () => {
    const password = 'quiet-meadow-41-lantern';
    const run = await createSuperuser(['--email', ' Ada@Example.TEST ', '--name', 'Ada Admin', '--password', password]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Superuser ada@example.test created');
    expect(run.stdout + run.stderr).not.toContain(password);
    const rows = await users();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      email: 'ada@example.test',
      name: 'Ada Admin',
      role: 'SUPERUSER',
      companyId: null,
      active: true,
    });
    expect(rows[0].passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(await verifyPassword(rows[0].passwordHash, password)).toBe(true);
    expect(await verifyPassword(rows[0].passwordHash, 'something-else-entirely')).toBe(false);
  });
});

// The refusals run side by side, after the first superuser exists.
describe.concurrent('createsuperuser refuses', { timeout: 180_000 }, () => {
  it('a weak password with one clear line, creating nobody', async () => {
    const before = await users();
    const run = await createSuperuser(['--email', 'weak@example.test', '--name', 'Weak', '--password', 'password123']);
    expect(run.code).not.toBe(0);
    expectOneLine(run.stderr);
    expect(run.stderr).toMatch(/^Password refused: .*too common/);
    expect(run.stderr).not.toContain('password123');
    expect(await users()).toEqual(before);
  });

  it('a duplicate email (in any case) with one clear line, leaving the existing user as it was', async () => {
    const before = await users();
    expect(before.length).toBeGreaterThan(0);
    const run = await createSuperuser([
      '--email',
      before[0].email.toUpperCase(),
      '--name',
      'Impostor',
      '--password',
      'another-strong-pass-77',
    ]);
    expect(run.code).not.toBe(0);
    expectOneLine(run.stderr);
    expect(run.stderr.trim()).toBe(`A user with the email ${before[0].email} already exists.`);
    expect(await users()).toEqual(before);
  });

  it('without a terminal, a missing flag by name; a bad email and an unknown flag with one line too', async () => {
    const before = await users();
    const [missing, badEmail, unknown] = await Promise.all([
      createSuperuser(['--email', 'x@example.test', '--password', 'another-strong-pass-77']),
      createSuperuser(['--email', 'not-an-email', '--name', 'X', '--password', 'another-strong-pass-77']),
      createSuperuser(['--mail', 'x@example.test']),
    ]);
    expect(missing.code).not.toBe(0);
    expectOneLine(missing.stderr);
    expect(missing.stderr.trim()).toBe('Missing --name (no terminal to ask on).');
    expect(badEmail.code).not.toBe(0);
    expect(badEmail.stderr.trim()).toBe('"not-an-email" is not a valid email address.');
    expect(unknown.code).not.toBe(0);
    expectOneLine(unknown.stderr);
    expect(unknown.stderr).toContain('Usage: npm run createsuperuser');
    expect(await users()).toEqual(before);
  });
});
