// npm run db:makemigration -- <name>: writes a migration from the change to prisma/schema.prisma.
import { makeMigration } from '../db/makeMigration.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';

runCli(() =>
  withDatabaseUrl(async (url) => {
    const name = process.argv[2];
    if (!name) {
      console.error('Usage: npm run db:makemigration -- <name>   (e.g. add_customer_tags)');
      return 2;
    }
    const folder = await makeMigration(url, name);
    console.log(
      folder ? `Wrote prisma/migrations/${folder}/migration.sql` : 'The schema has not changed; no migration written.',
    );
  }),
);
