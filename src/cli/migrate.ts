// npm run db:migrate: applies pending migrations.
// npm run db:migrate -- --rolled-back <name>: records a failed migration as rolled back (after its
// cause was fixed by hand), so the next run applies it again.
import { parseArgs } from 'node:util';
import { markMigrationRolledBack, migrateDatabase } from '../db/migrate.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';

runCli(() =>
  withDatabaseUrl(async (url) => {
    const { values } = parseArgs({ options: { 'rolled-back': { type: 'string' } } });
    const rolledBack = values['rolled-back'];
    if (rolledBack) {
      await markMigrationRolledBack(url, rolledBack);
      console.log(`Recorded ${rolledBack} as rolled back; npm run db:migrate will apply it again.`);
      return;
    }
    const applied = await migrateDatabase(url);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Database is up to date; nothing to apply.',
    );
  }),
);
