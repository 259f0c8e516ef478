// npm run db:migrate: applies pending migrations.
import { migrateDatabase } from '../db/migrate.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';

runCli(() =>
  withDatabaseUrl(async (url) => {
    const applied = await migrateDatabase(url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date; nothing to apply.');
  }),
);
