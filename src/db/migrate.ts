// Applies prisma/migrations/*/migration.sql in Prisma's own format and bookkeeping table
// (`_prisma_migrations`, same checksums as the CLI), so a stock `prisma migrate deploy`
// finds the database up to date.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withSchemaEngine } from './schemaEngine.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

export async function listMigrations(baseDir = MIGRATIONS_DIR) {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => {
      const file = path.join(baseDir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (err: Error) => ({ tag: 'error' as const, value: err.message }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function migrateDatabase(url: string, options: { migrationsDir?: string } = {}): Promise<string[]> {
  const migrationsList = await listMigrations(options.migrationsDir);
  try {
    return await withSchemaEngine(url, async (engine) => {
      const result = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return result.appliedMigrationNames;
    });
  } catch (err) {
    throw new MigrationError(describeEngineError(err));
  }
}

/**
 * After a failed migration was dealt with by hand: records it as rolled back (what
 * `prisma migrate resolve --rolled-back` does), so the next run applies it again.
 */
export async function markMigrationRolledBack(url: string, migrationName: string): Promise<void> {
  try {
    await withSchemaEngine(url, (engine) => engine.markMigrationRolledBack({ migrationName }));
  } catch (err) {
    throw new MigrationError(describeEngineError(err));
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
  /** Its message is the whole story: command-line tools print it without a stack. */
  expected = true;
}

/**
 * The engine rejects with a multi-line message (a Rust span trace under it); reduce it to one
 * line that says what failed and, for a failed migration, what to do next.
 */
export function describeEngineError(err: unknown): string {
  const raw = rawMessage(err);
  const code = (err as { code?: string } | null)?.code;
  const failedEarlier = /The `([^`]+)` migration started at .* failed/.exec(raw);
  if (code === 'P3009' || failedEarlier) {
    const name = failedEarlier?.[1] ?? 'a migration';
    return (
      `Migration ${name} failed on an earlier run and is recorded as failed in _prisma_migrations; ` +
      'no further migration is applied. ' +
      `Fix its cause (and its migration.sql), then run: npm run db:migrate -- --rolled-back ${name}`
    );
  }
  const migration = /migration_name="([^"]+)"/.exec(raw)?.[1];
  const lines = raw.split('\n').map((l) => l.trim());
  const traceStart = lines.findIndex((l) => /^\d+: /.test(l));
  const body = (traceStart === -1 ? lines : lines.slice(0, traceStart)).filter(
    (l) => l && l !== 'external connector error' && !/^Please make sure your database server is running/.test(l),
  );
  const message = body.join(' ') || 'unknown error';
  return migration ? `Migration ${migration} failed: ${message}` : message;
}

function rawMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object') {
    const o = err as { message?: string; error?: string; meta?: { message?: string } };
    return o.message ?? o.error ?? o.meta?.message ?? JSON.stringify(err);
  }
  return String(err);
}
