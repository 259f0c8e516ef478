// npm run bench:probe [-- --leads N]: the app in production mode on a kept database (crm_probe on
// DATABASE_URL's server: created, migrated and seeded on first use), signed in as the demo's account
// manager, left running until Ctrl-C — for profiling one page at leisure (autocannon, node --cpu-prof via
// BENCH_CPU_PROF, strace, PostgreSQL's statement log). Prints the app's URL and writes the session's Cookie
// header to .data/probe-cookie. `--fresh` drops and re-seeds the database.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { DEMO, seedDemo } from '../src/seed/demo.ts';
import { MailCatcher } from '../tests/helpers/smtp.ts';
import { growLeads } from './grow.ts';
import { BUILD_COMMAND, PROXY_HEADERS, startApp } from './processes.ts';
import { signInOverHttp } from './signIn.ts';

const { values } = parseArgs({
  options: { leads: { type: 'string', default: '100000' }, fresh: { type: 'boolean', default: false } },
});
const ROOT = path.resolve(import.meta.dirname, '..');
const NAME = process.env.PROBE_DATABASE ?? 'crm_probe';
const server = loadConfig().databaseUrl;
if (!server) throw new Error('Set DATABASE_URL to a PostgreSQL server (the probe keeps its database there).');
const url = new URL(server);
url.pathname = `/${NAME}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
if (values.fresh) await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAME])).rowCount;
if (!exists) await admin.query(`CREATE DATABASE ${NAME}`);
await admin.end();
await migrateDatabase(url.toString());
const db = createDatabase(url.toString(), { max: 4 });
let manager: { email: string } | null = await db.prisma.user.findFirst({
  where: { role: 'ACCOUNT_MANAGER' },
  orderBy: { id: 'asc' },
});
if (!manager) {
  const leads = Number(values.leads);
  console.log(`Seeding the demo company and growing it to ${leads.toLocaleString('en')} leads …`);
  const demo = await seedDemo(db.prisma, {
    sizes: { staff: 8, customers: 5_000, leads: 10_000, tasks: 5_000, appointments: 1_000 },
  });
  const bulk = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const grow = {
    companyId: demo.company.id,
    assigneeIds: [...demo.staff.map((s) => s.id), ...demo.staff.map((s) => s.id), demo.manager.id],
    customerIds: [],
    createdById: demo.manager.id,
    now: new Date(),
  };
  await growLeads(bulk, grow, leads, (m) => console.log(m));
  await bulk.query('VACUUM ANALYZE');
  await bulk.end();
  manager = demo.manager;
}
await db.close();
if (BUILD_COMMAND) await promisify(execFile)('npm', BUILD_COMMAND, { cwd: ROOT });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-probe-'));
const mail = new MailCatcher();
const app = await startApp({
  databaseUrl: url.toString(),
  smtpUrl: await mail.start(),
  dataDir: tmp,
  logFile: path.join(tmp, 'app.log'),
});
const email = manager.email;
const cookie = await signInOverHttp(app.url, mail, email, DEMO.password, PROXY_HEADERS);
mkdirSync(path.join(ROOT, '.data'), { recursive: true });
writeFileSync(path.join(ROOT, '.data/probe-cookie'), cookie);
console.log(`The app (pid ${app.pid}) answers at ${app.url}, signed in as ${email}; the Cookie header is in`);
console.log(`.data/probe-cookie; send X-Forwarded-Proto: https with it. Its log: ${tmp}/app.log. Ctrl-C stops it.`);
process.once(
  'SIGINT',
  () =>
    void app
      .stop()
      .then(() => mail.stop())
      .then(() => process.exit(0)),
);
process.once(
  'SIGTERM',
  () =>
    void app
      .stop()
      .then(() => mail.stop())
      .then(() => process.exit(0)),
);
