// `npm start` runs the compiled output: `npm run build` writes dist/, and `node dist/server.js` (no
// tsx) migrates a fresh database and serves pages, views, static files and Bootstrap in production
// mode — every path the sources build from import.meta.dirname resolves from dist/ too.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/db/migrate.ts';
import { ROOT, createEmptyDatabase, killChildren, query, removeTempDirs, runScript, tempDir } from './support.ts';

afterAll(() => {
  killChildren();
  removeTempDirs();
});

describe('the build', () => {
  it('npm start builds, then starts dist/server.js with plain node; development keeps tsx', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(scripts.prestart).toBe('npm run build');
    expect(scripts.start).toMatch(/^([A-Z_]+=\S+ )*node (--[\w-]+(=\S+)? )*dist\/server\.js$/);
    expect(scripts.dev).toMatch(/^tsx /);
  });

  it('compiles src/ to dist/, and the compiled server ' +
    'migrates a fresh database and serves in production mode', async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(build.stderr + build.stdout).toBe('');
    expect(build.status).toBe(0);
    expect(existsSync(path.join(ROOT, 'dist/server.js'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist/generated/prisma/client.js'))).toBe(true);
    // Prisma's query compiler read from a .wasm file, not kept in the heap as a base64 module (scripts/build.mjs).
    expect(existsSync(path.join(ROOT, 'dist/generated/prisma/internal/query_compiler.wasm'))).toBe(true);
    const prismaClass = readFileSync(path.join(ROOT, 'dist/generated/prisma/internal/class.js'), 'utf8');
    expect(prismaClass).not.toContain('wasm-base64');
    // Relative imports point at the emitted .js files.
    expect(readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8')).toContain("from './app.js'");

    const url = await createEmptyDatabase();
    const child = runScript(
      'dist/server.js',
      [],
      {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: tempDir('crm-built-'),
        APP_URL: 'https://crm.test',
        SESSION_SECRET: 'built-secret-built-secret-built-secret-0123',
        SMTP_URL: 'smtp://127.0.0.1:9',
      },
      'built',
    );
    const m = await child.waitFor(/CRM is running at http:\/\/localhost:(\d+)/, 90_000);
    const base = `http://127.0.0.1:${m[1]}`;

    const migrations = (await listMigrations()).migrationDirectories.length;
    expect(await query(url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL')).toEqual(
      [{ n: migrations }],
    );
    expect((await (await fetch(`${base}/healthz`)).text()).trim()).toBe('ok');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('name="_csrf"'); // the view and its layout
    expect(html).toMatch(/<link[^>]+\/static\/bootstrap\/css\/bootstrap\.min\.css/);
    expect((await fetch(`${base}/static/css/app.css`)).status).toBe(200);
    expect((await fetch(`${base}/static/bootstrap/css/bootstrap.min.css`)).status).toBe(200);
    // A page that needs the database through Prisma (the generated client and its wasm compiler).
    const reset = await fetch(`${base}/password/reset/${'x'.repeat(43)}`);
    expect(reset.status).toBe(404);
    expect(child.stdout() + child.stderr()).not.toMatch(/"level":50|Error/);

    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
  }, 240_000);

  it('a start the database refuses ends with the same one line as ' +
    'from the sources (the migration worker passes the message on)', async () => {
    const child = runScript(
      'dist/server.js',
      [],
      { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x', DATA_DIR: tempDir('crm-built-') },
      'built',
    );
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr().trim()).toBe(
      "Could not prepare the database at 127.0.0.1:1/x: Can't reach database server at `127.0.0.1:1`",
    );
  }, 60_000);
});
