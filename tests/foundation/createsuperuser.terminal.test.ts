// `npm run createsuperuser` on a real pseudo-terminal (util-linux `script` gives it one), typed
// into as a person would: each answer only once its question is on the screen. What the terminal
// shows is everything the command and the terminal's own echo wrote, so a password in it was shown.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/account/passwords.ts';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import { query, ROOT } from './support.ts';

const SCRIPT = '/usr/bin/script';
if (!existsSync(SCRIPT))
  throw new Error(`${SCRIPT} is missing: install util-linux's bsdutils (Debian: apt-get install bsdutils).`);

const STRONG = 'quiet-meadow-41-lantern';
const WEAK = 'password123';
type UserRow = { email: string; name: string; role: string; passwordHash: string };

let url = '';
const running = new Set<number>();
beforeAll(async () => {
  url = await createTestDatabaseUrl();
});
afterAll(() => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const users = () => query<UserRow>(url, 'SELECT email, name, role, "passwordHash" FROM "User" ORDER BY id');
const count = (text: string, part: string) => text.split(part).length - 1;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command on a terminal of its own; `answer` waits for the next question on the screen, then types. */
function onTerminal(args: string[] = []) {
  const command = [path.join(ROOT, 'node_modules/.bin/tsx'), 'src/cli/createSuperuser.ts', ...args]
    .map(quote)
    .join(' ');
  const proc = spawn(SCRIPT, ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', DATABASE_URL: url, LOG_LEVEL: 'silent' },
  });
  running.add(proc.pid!);
  let screen = '';
  let seen = 0;
  proc.stdout!.on('data', (d: Buffer) => (screen += d));
  proc.stderr!.on('data', (d: Buffer) => (screen += d));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      running.delete(proc.pid!);
      resolve(code);
    }),
  );
  return {
    screen: () => screen,
    exited,
    /** Waits until `question` appears after the previous one, then types `keys`. */
    async answer(question: string, keys: string) {
      const deadline = Date.now() + 30_000;
      while (screen.indexOf(question, seen) < 0) {
        if (Date.now() > deadline || proc.exitCode !== null)
          throw new Error(`no "${question}" on the screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      seen = screen.indexOf(question, seen) + question.length;
      proc.stdin!.write(keys);
    },
  };
}

describe('createsuperuser on a terminal', () => {
  it('never shows the password as it is typed, and after a weak one asks for the password alone', async () => {
    const t = onTerminal();
    await t.answer('Email: ', 'ada@example.test\r');
    await t.answer('Full name: ', 'Ada Admin\r');
    await t.answer('Password: ', `${WEAK}\r`);
    await t.answer('Password refused: ', '');
    // Typed with a slip corrected by backspace: the line is edited without being drawn.
    await t.answer('Password: ', `${STRONG}X\x7f\r`);
    await t.answer('Password (again): ', `${STRONG}\r`);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('Superuser ada@example.test created.');
    expect(screen).toMatch(/Password refused: This password is too common/);
    for (const typed of [WEAK, STRONG, STRONG.slice(0, 6), 'meadow']) expect(screen).not.toContain(typed);
    expect(count(screen, 'Email: ')).toBe(1);
    expect(count(screen, 'Full name: ')).toBe(1);
    expect(count(screen, 'Password: ')).toBe(2);
    const after = screen.slice(screen.indexOf('Password refused'));
    expect(after).not.toMatch(/Email|Full name/);
    const rows = await users();
    expect(rows).toMatchObject([{ email: 'ada@example.test', name: 'Ada Admin', role: 'SUPERUSER' }]);
    expect(await verifyPassword(rows[0].passwordHash, STRONG)).toBe(true);
  });

  it('asks again only for a bad or taken email, an empty name, or a repeated password that differs', async () => {
    const before = await users();
    expect(before.length).toBeGreaterThan(0);
    const t = onTerminal();
    await t.answer('Email: ', 'not-an-email\r');
    await t.answer('Email: ', `${before[0].email.toUpperCase()}\r`);
    await t.answer('Email: ', 'bo@example.test\r');
    await t.answer('Full name: ', '   \r');
    await t.answer('Full name: ', 'Bo Boss\r');
    await t.answer('Password: ', `${STRONG}\r`);
    await t.answer('Password (again): ', `${STRONG}-typo\r`);
    await t.answer('Password: ', `${STRONG}\r`);
    await t.answer('Password (again): ', `${STRONG}\r`);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('"not-an-email" is not a valid email address.');
    expect(screen).toContain(`A user with the email ${before[0].email} already exists.`);
    expect(screen).toContain('A name is required.');
    expect(screen).toContain('The two passwords differ.');
    expect([
      count(screen, 'Email: '),
      count(screen, 'Full name: '),
      count(screen, 'Password: '),
      count(screen, 'Password (again): '),
    ]).toEqual([3, 2, 2, 2]);
    expect(screen).not.toContain(STRONG);
    expect(await users()).toHaveLength(before.length + 1);
    expect(await users()).toContainEqual(
      expect.objectContaining({ email: 'bo@example.test', name: 'Bo Boss', role: 'SUPERUSER' }),
    );
  });

  it('Ctrl-D or Ctrl-C at a question stops with one line and creates nobody', async () => {
    const before = await users();
    const eof = onTerminal();
    await eof.answer('Email: ', '\x04');
    const interrupt = onTerminal(['--email', 'cy@example.test']);
    await interrupt.answer('Full name: ', 'Cy\r');
    await interrupt.answer('Password: ', 'half-typ\x03');
    expect(await eof.exited).toBe(1);
    expect(await interrupt.exited).toBe(1);
    expect(eof.screen()).toContain('Cancelled: nothing was created.');
    expect(interrupt.screen()).toContain('Cancelled: nothing was created.');
    expect(interrupt.screen()).not.toContain('half-typ');
    expect(await users()).toEqual(before);
  });

  it('keeps the flags: with all three it asks nothing; a weak --password is refused, not asked again', async () => {
    const before = await users();
    const weak = onTerminal(['--email', 'dee@example.test', '--name', 'Dee', '--password', WEAK]);
    const all = onTerminal(['--email', 'eve@example.test', '--name', 'Eve', '--password', STRONG]);
    expect(await weak.exited).toBe(1);
    expect(await all.exited).toBe(0);
    expect(weak.screen().trim()).toMatch(/^Password refused: .*too common/);
    expect(all.screen()).toContain('Superuser eve@example.test created.');
    for (const screen of [weak.screen(), all.screen()]) expect(screen).not.toMatch(/Email: |Full name: |Password: /);
    const rows = await users();
    expect(rows.map((r) => r.email)).toEqual([...before.map((r) => r.email), 'eve@example.test']);
  });
});
