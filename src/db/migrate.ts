// Applies prisma/migrations/*/migration.sql in Prisma's own format and bookkeeping table
// (`_prisma_migrations`, same checksums as the CLI), so a stock `prisma migrate deploy`
// finds the database up to date.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withSchemaEngine } from './schemaEngine.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

export async function listMigrations(baseDir = MIGRATIONS_DIR) {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
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
  return { baseDir, lockfile: { path: 'migration_lock.toml', content: lockContent }, shadowDbInitScript: '', migrationDirectories };
}

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function migrateDatabase(url: string, options: { migrationsDir?: string } = {}): Promise<string[]> {
  const migrationsList = await listMigrations(options.migrationsDir);
  try {
    return await withSchemaEngine(url, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
      return result.appliedMigrationNames;
    });
  } catch (err) {
    throw new MigrationError(describeEngineError(err));
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The engine rejects with a JSON-ish object; reduce it to the human message. */
export function describeEngineError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object') {
    const o = err as { message?: string; error?: string; meta?: { message?: string } };
    return o.message ?? o.error ?? o.meta?.message ?? JSON.stringify(err);
  }
  return String(err);
}
