// `src/server.ts` with DATABASE_URL unset: it starts an embedded PostgreSQL with its data under
// DATA_DIR, serves, and on SIGTERM stops that PostgreSQL too.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildren, postgresProcessesFor, startServer } from './support.ts';

// A private folder (mode 700, as mkdtemp makes it), as a checkout under a home directory is.
const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-embedded-'));

afterAll(async () => {
  killChildren();
  // Whatever a failed test left: the PostgreSQL this test started for its own data folder.
  for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('starts within a minute, serves /healthz and /login, and is stopped on SIGTERM', { timeout: 90_000 }, async () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const server = await startServer({ DATA_DIR: dataDir }, 60_000);
    expect(server.stdout()).toContain(
      `DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${dataDir}/pg)`,
    );

    const postgres = await postgresProcessesFor(dataDir);
    expect(postgres).toHaveLength(1);
    // It runs as the unprivileged `postgres` user when the app runs as root.
    if (process.getuid?.() === 0) expect(statSync(`/proc/${postgres[0]}`).uid).not.toBe(0);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    server.proc.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
  });
});
