// Generates the Prisma client (src/generated/prisma) without the schema-engine download:
// `prisma generate` does not use that binary, but the CLI fetches it first unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Only `generate` is run this way;
// migrations go through src/db/migrate.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
if (!existsSync(cli)) {
  console.log('prisma CLI not installed (production install?); skipping client generation');
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
