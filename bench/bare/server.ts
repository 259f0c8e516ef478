// The bare page: the least a server can do for the account manager's filtered lead list. Express 5 +
// pg + EJS, no session, no access layer: the same filter, count, order (createdAt, id newest first)
// and page of 25 on the same tables as /leads?status=…&page=…, and a table with the same columns.
// The bench runs it in its own process next to the app and reports the app's figures as ratios of it.
import express from 'express';
import pg from 'pg';

const STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'];
const PER_PAGE = 25;
const companyId = Number(process.env.BARE_COMPANY_ID);
// As many connections as the app's pool (src/db/client.ts).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// Formatters built once, as a page that costs microseconds a row would.
const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });
const day = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const app = express();
app.set('view engine', 'ejs');
app.set('views', import.meta.dirname);
app.enable('view cache');
app.set('query parser', 'simple');

app.get('/leads', async (req, res) => {
  const status = STATUSES.includes(String(req.query.status)) ? String(req.query.status) : null;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1));
  const where = `WHERE l."companyId" = $1 AND ($2::text IS NULL OR l.status = $2::"LeadStatus")`;
  const [count, rows] = await Promise.all([
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Lead" l ${where}`, [companyId, status]),
    pool.query(
      `SELECT l.id, l.title, l.organisation, l.status, l."estimatedValue", l."createdAt",
         u.name AS assignee, c.name AS customer
       FROM "Lead" l JOIN "User" u ON u.id = l."assigneeId" LEFT JOIN "Customer" c ON c.id = l."customerId"
       ${where} ORDER BY l."createdAt" DESC, l.id DESC OFFSET $3 LIMIT ${PER_PAGE}`,
      [companyId, status, (page - 1) * PER_PAGE],
    ),
  ]);
  const total = count.rows[0].n;
  res.render('leads', {
    rows: rows.rows,
    total,
    page,
    status,
    from: (page - 1) * PER_PAGE + 1,
    to: Math.min(total, page * PER_PAGE),
    money: (v: string | null) => (v === null ? '' : money.format(Number(v))),
    day: (d: Date) => day.format(d),
  });
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare page listening'));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
