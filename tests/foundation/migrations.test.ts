// The migration runner (src/db/migrate.ts) on fresh databases: the schema it leaves, proven by the
// catalog; Prisma's bookkeeping; re-runs; a failing migration; and makeMigration.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.ts';
import { diffSchemas, makeMigration } from '../../src/db/makeMigration.ts';
import {
  listMigrations,
  markMigrationRolledBack,
  migrateDatabase,
  MigrationError,
  MIGRATIONS_DIR,
} from '../../src/db/migrate.ts';
import { SCHEMA_PATH } from '../../src/db/schemaEngine.ts';
import * as generatedEnums from '../../src/generated/prisma/enums.ts';
import { applyMigrationSql, shapeOfDatabase, shapeOfMigrations } from './schemaCatalog.ts';
import { createEmptyDatabase, query, removeTempDirs, tempDir } from './support.ts';

type MigrationRow = {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
};

const migrationNames = () =>
  readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
const migrationSql = (dir: string, name: string) => readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bookkeeping = (url: string) =>
  query<MigrationRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');

afterAll(removeTempDirs);

function copyOfMigrations(): string {
  const dir = tempDir('crm-migrations-');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migrateDatabase on a fresh database', () => {
  // One database migrated once, read by the tests that do not change it.
  let url = '';
  let applied: string[] = [];
  beforeAll(async () => {
    url = await createEmptyDatabase();
    applied = await migrateDatabase(url);
  });

  it('creates every table, column, enum, index and foreign key the migrations declare, and nothing else', async () => {
    expect(applied).toEqual(migrationNames());
    const expected = shapeOfMigrations(migrationNames().map((n) => migrationSql(MIGRATIONS_DIR, n)));
    expect(await shapeOfDatabase(url)).toEqual(expected);
  });

  it('the migrations reproduce prisma/schema.prisma exactly (the schema engine’s own SQL for it)', async () => {
    const fromSchema = applyMigrationSql(await diffSchemas(url, null, readFileSync(SCHEMA_PATH, 'utf8')));
    expect(shapeOfMigrations(migrationNames().map((n) => migrationSql(MIGRATIONS_DIR, n)))).toEqual(fromSchema);
  });

  it('matches the generated client: a table with its columns for every model, every enum with its values', async () => {
    const live = await shapeOfDatabase(url);
    const db = createDatabase(url, { max: 1 });
    const model = (
      db.prisma as unknown as {
        _runtimeDataModel: {
          models: Record<string, { dbName: string | null; fields: Array<{ name: string; kind: string }> }>;
        };
      }
    )._runtimeDataModel;
    await db.close();
    const tables = Object.fromEntries(
      Object.entries(model.models).map(([name, m]) => [
        m.dbName ?? name,
        m.fields
          .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
          .map((f) => f.name)
          .sort(),
      ]),
    );
    expect(Object.keys(tables).length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(live.tables).map(([t, cols]) => [t, Object.keys(cols).sort()]))).toEqual(
      tables,
    );
    const enums = Object.fromEntries(
      Object.entries(generatedEnums).map(([name, values]) => [name, Object.values(values as Record<string, string>)]),
    );
    expect(Object.keys(enums).length).toBeGreaterThan(0);
    expect(live.enums).toEqual(enums);
  });

  it('records each migration as `prisma migrate deploy` does: sha256 checksum, finished, not rolled back', async () => {
    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames());
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(migrationSql(MIGRATIONS_DIR, row.migration_name)));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('a re-run applies nothing and leaves the bookkeeping as it was', async () => {
    const before = await bookkeeping(url);
    expect(await migrateDatabase(url)).toEqual([]);
    expect(await bookkeeping(url)).toEqual(before);
  });

  it('two runs at once apply each migration once', async () => {
    const fresh = await createEmptyDatabase();
    const [a, b] = await Promise.all([migrateDatabase(fresh), migrateDatabase(fresh)]);
    expect([...a, ...b].sort()).toEqual(migrationNames());
    expect((await bookkeeping(fresh)).map((r) => r.migration_name)).toEqual(migrationNames());
  });

  it('an unreachable database is one clear line', async () => {
    const err = await migrateDatabase('postgresql://postgres@127.0.0.1:1/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/Can't reach database server at `127\.0\.0\.1:1`/);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('a failing migration', () => {
  const broken = '20991231000000_broken';

  it('is reported by name and cause, applies none of its statements, and is recorded as not finished', async () => {
    const dir = copyOfMigrations();
    mkdirSync(path.join(dir, broken));
    writeFileSync(
      path.join(dir, broken, 'migration.sql'),
      'CREATE TABLE "Broken" ("id" INTEGER NOT NULL);\nSELECT * FROM "no_such_table";\n',
    );
    const url = await createEmptyDatabase();

    const err = await migrateDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^Migration ${broken} failed: .*no_such_table`));
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/sql_schema_connector|\.rs:\d+/);

    const rows = await bookkeeping(url);
    const good = rows.filter((r) => r.migration_name !== broken);
    expect(good.map((r) => r.migration_name)).toEqual(migrationNames());
    expect(good.every((r) => r.finished_at !== null)).toBe(true);
    const failed = rows.filter((r) => r.migration_name === broken);
    expect(failed).toHaveLength(1);
    expect(failed[0].finished_at).toBeNull();
    expect(failed[0].rolled_back_at).toBeNull();
    expect(failed[0].applied_steps_count).toBe(0);
    // All or nothing, as the Prisma CLI runs it: its first statement did not stay.
    expect(await query(url, `SELECT to_regclass('public."Broken"') AS t`)).toEqual([{ t: null }]);
    // The schema before it is whole.
    expect(await shapeOfDatabase(url)).toEqual(
      shapeOfMigrations(migrationNames().map((n) => migrationSql(MIGRATIONS_DIR, n))),
    );

    // A re-run still refuses, saying which migration and what to do, and changes nothing.
    const again = await migrateDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MigrationError);
    expect((again as Error).message).toContain(`Migration ${broken} failed on an earlier run`);
    expect((again as Error).message).toContain(`npm run db:migrate -- --rolled-back ${broken}`);
    expect((again as Error).message).not.toContain('\n');
    expect(await bookkeeping(url)).toEqual(rows);

    // Fixed, and marked rolled back: the next run applies it.
    writeFileSync(path.join(dir, broken, 'migration.sql'), 'CREATE TABLE "Broken" ("id" INTEGER NOT NULL);\n');
    await markMigrationRolledBack(url, broken);
    expect(await migrateDatabase(url, { migrationsDir: dir })).toEqual([broken]);
    expect(await query(url, `SELECT to_regclass('public."Broken"')::text AS t`)).toEqual([{ t: '"Broken"' }]);
    const after = (await bookkeeping(url)).filter((r) => r.migration_name === broken);
    expect(after.map((r) => [r.rolled_back_at !== null, r.finished_at !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
  });
});

describe('makeMigration', () => {
  it('writes nothing when prisma/schema.prisma has not changed since the last migration', async () => {
    const dir = copyOfMigrations();
    const before = readdirSync(dir).sort();
    const url = await createEmptyDatabase();
    expect(await makeMigration(url, 'nothing', dir)).toBeNull();
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('writes the change as the next migration, which the runner then applies', async () => {
    const dir = copyOfMigrations();
    const schemaDir = tempDir('crm-schema-');
    const schemaPath = path.join(schemaDir, 'schema.prisma');
    const changed =
      `${readFileSync(SCHEMA_PATH, 'utf8')}\nmodel Tag {\n  id   Int ` +
      `   @id @default(autoincrement())\n  name String @unique\n}\n`;
    writeFileSync(schemaPath, changed);
    const url = await createEmptyDatabase();

    const folder = await makeMigration(url, 'Add tags!', dir, schemaPath);
    expect(folder).toMatch(/^\d{14}_add_tags$/);
    const sql = migrationSql(dir, folder!);
    expect(sql).toContain('CREATE TABLE "Tag"');
    expect(readFileSync(path.join(dir, folder!, 'schema.prisma'), 'utf8')).toBe(changed);
    expect((await listMigrations(dir)).migrationDirectories.at(-1)?.path).toBe(folder);

    expect(await migrateDatabase(url, { migrationsDir: dir })).toEqual([...migrationNames(), folder]);
    const live = await shapeOfDatabase(url);
    expect(Object.keys(live.tables.Tag).sort()).toEqual(['id', 'name']);
    expect(live.indexes.Tag_name_key).toEqual({ table: 'Tag', unique: true, columns: ['name'], method: 'btree' });
    // And now there is nothing more to write.
    expect(await makeMigration(url, 'again', dir, schemaPath)).toBeNull();
  });
});
