import { defineConfig } from 'prisma/config';

// Only the Prisma CLI reads this file; the app migrates through src/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
