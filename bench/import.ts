// `npm run bench:import`: a 100,000-row lead file (some rows invalid, some duplicates of existing leads) imported
// through the import's own code: the upload's reading (decode, delimiter, parse, guessed mapping) and the job
// (src/import/run.ts, what the queue's 'import' handler runs), on a database of its own (bench/database.ts).
// Prints the time of each part and the statements the job sent, then undoes the import and prints its time.
// `-- --rows N` for another size.
import { loadCurrentUser } from '../src/access/currentUser.ts';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { decodeCsv, detectDelimiter, parseCsv } from '../src/import/decode.ts';
import { runImport } from '../src/import/run.ts';
import { guessMapping, importTargets } from '../src/import/targets.ts';
import { undoImport } from '../src/import/undo.ts';
import { createBenchDatabase } from './database.ts';

const arg = process.argv.indexOf('--rows');
const ROWS = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const EXISTING = 1000;

function file(rows: number): Buffer {
  const lines = [
    'Title;Contact name;E-mail;Phone;Organisation;Source;Status;Estimated value;Expected close date;Notes',
  ];
  for (let i = 0; i < rows; i++) {
    const email = i % 1000 === 999 ? 'not-an-email' : `buyer${i}@bench.test`;
    lines.push(
      [
        `Deal ${i}`,
        `Müller ${i}`,
        email,
        `+49 30 ${String(i).padStart(7, '0')}`,
        `Société ${i % 500}`,
        ['Website', 'Referral', 'Event', 'Cold call', 'Other'][i % 5],
        ['New', 'Contacted', 'Qualified'][i % 3],
        `${(i % 9000) + 100}.00`,
        `2027-${String((i % 12) + 1).padStart(2, '0')}-10`,
        i % 10 === 0 ? '"a note; with ""quotes""\nand a second line"' : '',
      ].join(';'),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
}

async function main() {
  const config = loadConfig();
  const bench = await createBenchDatabase(config, (m) => console.log(m));
  try {
    await migrateDatabase(bench.url);
    const db = createDatabase(bench.url, { max: 4 });
    let statements = 0;
    db.pool.on('connect', (client) => {
      const q = client.query.bind(client);
      (client as unknown as { query: typeof q }).query = ((...a: Parameters<typeof q>) => {
        statements++;
        return q(...a);
      }) as typeof q;
    });
    const p = db.prisma;
    const company = await p.company.create({ data: { name: 'Bench Import', slug: 'bench-import' } });
    const manager = await p.user.create({
      data: { companyId: company.id, role: 'ACCOUNT_MANAGER', name: 'Bench Manager', email: 'manager@bench.test' },
    });
    // Leads whose emails the file repeats: the "update" rule rewrites them (with their previous values kept).
    await p.lead.createMany({
      data: Array.from({ length: EXISTING }, (_, i) => ({
        companyId: company.id,
        assigneeId: manager.id,
        title: `Old deal ${i}`,
        email: `BUYER${i * 50}@bench.test`,
      })),
    });
    const user = (await loadCurrentUser(p, manager.id))!;
    const bytes = file(ROWS);
    console.log(`file: ${ROWS.toLocaleString('en')} rows, ${(bytes.length / 1e6).toFixed(1)} MB`);

    const t0 = performance.now();
    const { text, encoding } = decodeCsv(bytes);
    const delimiter = detectDelimiter(text);
    const parsed = parseCsv(text, delimiter);
    if ('error' in parsed) throw new Error(parsed.error);
    const headers = parsed.records[0];
    const mapping = guessMapping(headers, importTargets(user, 'LEAD'));
    const imp = await p.import.create({
      data: {
        companyId: company.id,
        userId: manager.id,
        kind: 'LEAD',
        status: 'QUEUED',
        fileName: 'bench.csv',
        content: text,
        delimiter,
        encoding,
        headers,
        mapping,
        duplicates: 'update',
        totalRows: parsed.records.length - 1,
      },
    });
    const t1 = performance.now();
    statements = 0;
    await runImport(db, imp.id);
    const t2 = performance.now();
    const done = await p.import.findUniqueOrThrow({ where: { id: imp.id } });
    const leads = await p.lead.count({ where: { companyId: company.id } });
    console.log(`read and stored (upload): ${((t1 - t0) / 1000).toFixed(2)} s`);
    console.log(`import job: ${((t2 - t1) / 1000).toFixed(2)} s, ${statements} statements`);
    console.log(
      `total: ${((t2 - t0) / 1000).toFixed(2)} s — ${done.status}: created ${done.created}, updated ${done.updated}, ` +
        `skipped ${done.skipped}, failed ${done.failed}; leads in the company: ${leads}`,
    );
    const t3 = performance.now();
    const undone = await undoImport(db, user, imp.id);
    const t4 = performance.now();
    const left = await p.lead.count({ where: { companyId: company.id } });
    const what = undone.ok ? `deleted ${undone.deleted}, restored ${undone.restored}` : undone.reason;
    console.log(`undo: ${((t4 - t3) / 1000).toFixed(2)} s — ${what}; leads in the company: ${left}`);
    await db.close();
  } finally {
    await bench.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
