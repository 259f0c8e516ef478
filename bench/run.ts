// npm run bench [-- --quick] [--connections N] [--duration S] [--only /leads]: builds a database of its own
// with a demo company of 100,000 leads, runs the app in this process on a free port, signs in as
// the account manager and a staff user through the real two-step sign-in, and measures the main
// pages with autocannon. Prints a table, flags p50 > 100 ms, and writes bench/results.md.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { seedCustomers, seedLeads } from '../src/seed/builders.ts';
import { seedDemo, type DemoSizes } from '../src/seed/demo.ts';
import { createRandom } from '../src/seed/random.ts';
import { createThrottles } from '../src/web/rateLimit.ts';
import { setupViews } from '../src/web/views.ts';
import { MailCatcher } from '../tests/helpers/smtp.ts';
import { BENCH_CASES, SEARCH_WORD, type BenchRole } from './cases.ts';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import { isSlow, markdownTable, median, SLOW_P50_MS, textTable, type CaseResult } from './report.ts';
import { signInOverHttp } from './signIn.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    connections: { type: 'string', default: '1' },
    duration: { type: 'string' },
    /** Only the cases whose path contains this text, e.g. --only /leads */
    only: { type: 'string' },
  },
});
const cases = BENCH_CASES.filter((c) => !args.only || c.path.includes(args.only));
const quick = args.quick!;
const connections = Math.max(1, Number(args.connections) || 1);
const duration = Math.max(1, Number(args.duration ?? (quick ? 2 : 5)) || 5);
const SIZES: DemoSizes = quick
  ? { staff: 8, customers: 1_000, leads: 10_000, tasks: 1_000, appointments: 200 }
  : { staff: 8, customers: 5_000, leads: 100_000, tasks: 5_000, appointments: 1_000 };
/** Another tenant's rows, so every page really has to filter by company. */
const OTHER_LEADS = quick ? 2_000 : 20_000;
const RESULTS_FILE = path.resolve(import.meta.dirname, 'results.md');

const log = (m: string) => console.log(m);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const started = Date.now();
  const bench = await createBenchDatabase(loadConfig(), log);
  const cleanups: (() => unknown)[] = [];
  const cleanup = async () => {
    const t = Date.now();
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
    await bench.drop();
    log(`Bench database dropped (${seconds(Date.now() - t)}); ${seconds(Date.now() - started)} in all.`);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    return await runBench(bench, cleanups, started);
  } finally {
    await cleanup();
  }
}

async function runBench(bench: BenchDatabase, cleanups: (() => unknown)[], started: number): Promise<number> {
  log(`Bench database ${bench.name} on ${bench.where}${quick ? ' (quick run)' : ''}`);
  await migrateDatabase(bench.url);
  const db = createDatabase(bench.url, { max: 10 });
  cleanups.push(() => db.close());

  const seedStart = Date.now();
  const demo = await seedDemo(db.prisma, { sizes: SIZES, onProgress: log });
  const other = await db.prisma.company.create({ data: { name: 'Other Tenant', slug: 'other-tenant' } });
  const otherUser = await db.prisma.user.create({ data: { name: 'Other Manager', email: 'manager@other-tenant.example', role: 'ACCOUNT_MANAGER', companyId: other.id } });
  const random = createRandom(7);
  const otherCustomers = await seedCustomers(db.prisma, { companyId: other.id, random, ownerIds: [otherUser.id], count: 500 });
  log(`Creating ${OTHER_LEADS.toLocaleString('en')} leads of another company …`);
  await seedLeads(db.prisma, { companyId: other.id, random, assigneeIds: [otherUser.id], customerIds: otherCustomers, count: OTHER_LEADS });
  // What autovacuum would have done by now on a real server: statistics, and a visibility map for index-only scans.
  await db.pool.query('VACUUM ANALYZE');
  // Write the bulk load's dirty pages now, not while the first case is measured (needs a superuser; optional).
  await db.pool.query('CHECKPOINT').catch(() => {});
  const seedMs = Date.now() - seedStart;
  log(`Seeded in ${seconds(seedMs)}.`);

  // The app as the server runs it, on a real SMTP catcher; views cached as in production.
  const mail = new MailCatcher();
  const smtpUrl = await mail.start();
  cleanups.push(() => mail.stop());
  const config = loadConfig({
    NODE_ENV: 'development', SMTP_URL: smtpUrl, LOG_LEVEL: 'silent', APP_URL: 'http://bench.local',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'crm-bench-')),
  });
  const logger = createLogger(config.logLevel);
  const mailer = createMailer({ smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger });
  cleanups.push(() => mailer.close());
  const built = buildApp({ config, db, logger, mailer, sessionSecret: 'bench-secret-bench-secret-bench-secret-01', throttles: createThrottles(db.pool) });
  cleanups.push(() => built.close());
  setupViews(built.app, true);
  built.app.enable('view cache');

  // Server-side time of each request, from arrival to the last byte handed to the socket.
  let timings: number[] | null = null;
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    const bucket = timings;
    inFlight++;
    res.on('finish', () => bucket?.push(Number(process.hrtime.bigint() - t0) / 1e6));
    res.on('close', () => inFlight--);
    built.app(req, res);
  });
  /** Waits for requests still running when a measurement stopped (they may still write a session). */
  const drained = async () => {
    for (let i = 0; i < 200 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 50));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.close();
    await drained();
    server.closeAllConnections();
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const staffUser = demo.staff[0];
  const cookies: Record<BenchRole, string> = {
    manager: await signInOverHttp(baseUrl, mail, demo.manager.email, 'demo-password-2026'),
    staff: await signInOverHttp(baseUrl, mail, staffUser.email, 'demo-password-2026'),
  };
  const staffLeads = await db.prisma.lead.count({ where: { assigneeId: staffUser.id } });
  log(`Signed in as ${demo.manager.email} (account manager) and ${staffUser.email} (staff, ${staffLeads.toLocaleString('en')} leads).`);
  log(`Measuring ${cases.length} cases, ${duration} s each, ${connections} connection(s) …\n`);

  const loadBefore = os.loadavg()[0];
  const results: CaseResult[] = [];
  for (const c of cases) {
    const headers = { cookie: cookies[c.role] };
    let status = 0;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(baseUrl + c.path, { headers, redirect: 'manual' });
      await res.arrayBuffer();
      status = res.status;
      if (status !== 200) break;
    }
    if (status !== 200) {
      results.push({ ...c, outcome: status === 404 ? 'missing' : `answered HTTP ${status}` });
      log(`  ${c.role.padEnd(7)} ${c.path}: ${results.at(-1)!.outcome}`);
      continue;
    }
    timings = [];
    const r = await autocannon({ url: baseUrl + c.path, connections, duration, headers, timeout: 30 });
    await drained();
    const serverTimes = timings;
    timings = null;
    results.push({
      ...c, outcome: 'ok', rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99,
      non2xx: r.non2xx + r.errors + r.timeouts, serverP50: median(serverTimes), requests: r.requests.total,
    });
    log(`  ${c.role.padEnd(7)} ${c.path}: p50 ${r.latency.p50} ms, ${Math.round(r.requests.average)} req/s`);
  }

  const table = textTable(results);
  console.log(`\n${table}\n`);
  const slow = results.filter(isSlow);
  const missing = results.filter((r) => r.outcome === 'missing');
  if (slow.length) console.log(`${slow.length} case(s) with p50 over ${SLOW_P50_MS} ms: ${slow.map((r) => `${r.path} (${r.role})`).join(', ')}`);
  else console.log(`No measured case has a p50 over ${SLOW_P50_MS} ms.`);
  if (missing.length) console.log(`${missing.length} case(s) missing (route answered 404): ${missing.map((r) => r.path).join(', ')}`);

  const pgVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version as string;
  const cpus = os.cpus();
  const md = [
    '# Bench results',
    '',
    `\`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: `
      + `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}, Node ${process.version}, PostgreSQL ${pgVersion} on ${bench.where}. `
      + `Load average ${loadBefore.toFixed(1)} when the measurements began, ${os.loadavg()[0].toFixed(1)} when they ended (other work on the machine slows every case).`,
    '',
    `Data: "${demo.company.name}" with ${SIZES.leads.toLocaleString('en')} leads, ${SIZES.customers.toLocaleString('en')} customers, `
      + `${SIZES.tasks.toLocaleString('en')} tasks, ${SIZES.appointments.toLocaleString('en')} appointments, 1 account manager and ${SIZES.staff} staff; `
      + `another company with ${OTHER_LEADS.toLocaleString('en')} leads. The staff user measured has ${staffLeads.toLocaleString('en')} leads. `
      + `Search word: "${SEARCH_WORD}".`,
    '',
    `After seeding: VACUUM ANALYZE and CHECKPOINT. Each case: autocannon with ${connections} connection(s) for ${duration} s, signed in through the two-step sign-in; views cached as in production. `
      + 'Latency (ms) is measured by the client; "server p50" is from request arrival to response end inside the server. '
      + `Cases with a p50 over ${SLOW_P50_MS} ms are flagged SLOW; "missing" means the route answered 404 (not built yet).`,
    '',
    markdownTable(results),
    '',
    `Seeding took ${seconds(seedMs)}; setting up and measuring ${seconds(Date.now() - started)}.`,
    '',
  ].join('\n');
  if (args.only) {
    log(`--only: ${path.relative(process.cwd(), RESULTS_FILE)} left as it was (it holds full runs).`);
  } else {
    writeFileSync(RESULTS_FILE, md);
    log(`Written to ${path.relative(process.cwd(), RESULTS_FILE)}.`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error && (err as { expected?: boolean }).expected ? err.message : err);
    process.exit(1);
  },
);
