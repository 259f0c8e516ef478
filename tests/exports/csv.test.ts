// Every CSV export is spreadsheet-safe (issue 10, item 6): UTF-8 with a byte-order mark, every cell
// quoted, csv-stringify's escape_formulas on every cell, times in the user's zone named in the header.
// The exports are found in the app's own route table, so a new export.csv is checked without
// editing this file. Each file is read back with csv-parse (tests/helpers/csv.ts).
import { describe, expect, it } from 'vitest';
import { csvBody, csvHeader } from '../../src/web/list.ts';
import { formatDateTime } from '../../src/web/time.ts';
import { useTestContext } from '../helpers/context.ts';
import { FORMULA_START, readCsvBytes, downloadCsv, column } from '../helpers/csv.ts';
import { signInAs } from '../helpers/session.ts';

const ctx = useTestContext();
const CREATED = new Date('2026-01-15T23:30:00Z');
/** CREATED in Warsaw (UTC+1 in January): the next day. */
const CREATED_IN_WARSAW = '2026-01-16 00:30';

describe('the CSV writer (csvBody)', () => {
  const written = (columns: Parameters<typeof csvBody>[0]['columns'], rows: unknown[][]) =>
    readCsvBytes(Buffer.from(csvBody({ timeZone: 'Europe/Warsaw', columns, rows }), 'utf8'));

  it('escapes what escape_formulas guarantees: a cell starting with = + - @, tab, CR or their full-width forms', () => {
    const dangerous = ['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '\uFF1D1', '\uFF0B1', '\uFF0D1', '\uFF201'];
    const csv = written(
      dangerous.map((_, i) => `c${i}`),
      [dangerous],
    );
    expect(csv.rows).toEqual([dangerous.map((v) => `'${v}`)]);
    for (const cell of csv.rows[0]) expect(cell).not.toMatch(FORMULA_START);
  });

  it(
    'quotes every cell, so a delimiter inside one (`;` or `,`) ' +
      'never starts a cell of its own; quotes and newlines survive',
    () => {
      const values = ['Acme;=1+1', 'Acme,=1+1', 'say "hi"', 'line one\r\nline two', 'Café Łódź', ''];
      const csv = written(
        values.map((_, i) => `c${i}`),
        [values],
      );
      expect(csv.rows).toEqual([values]);
      // The bytes: the `;` of `Acme;=1+1` sits inside quotes, where no spreadsheet splits a cell.
      expect(csv.text).toContain('"Acme;=1+1","Acme,=1+1","say ""hi""","line one\r\nline two","Café Łódź",""\r\n');
      expect(csv.bytes.includes(Buffer.from('Łódź', 'utf8'))).toBe(true);
    },
  );

  it(
    'writes null and undefined as empty cells, booleans as yes/no, ' +
      'numbers as numbers (a negative number is not a formula)',
    () => {
      const csv = written(['a', 'b', 'c', 'd', 'e', 'f'], [[null, undefined, true, false, 42, -5]]);
      expect(csv.rows).toEqual([['', '', 'yes', 'no', '42', '-5']]);
    },
  );

  it(
    'writes times in the given zone under a header that ' + 'names it, and refuses a time in a column that does not',
    () => {
      expect(csvHeader({ time: 'due' }, 'Europe/Warsaw')).toBe('due (Europe/Warsaw)');
      const csv = written(
        ['id', { time: 'due' }],
        [
          [1, CREATED],
          [2, null],
        ],
      );
      expect(csv.header).toEqual(['id', 'due (Europe/Warsaw)']);
      expect(csv.rows).toEqual([
        ['1', CREATED_IN_WARSAW],
        ['2', ''],
      ]);
      expect(() => csvBody({ timeZone: 'UTC', columns: ['id', 'due'], rows: [[1, CREATED]] })).toThrow(
        /declare it as \{ time/,
      );
    },
  );

  it('formats times exactly as the pages do (formatDateTime), across daylight-saving changes and odd offsets', () => {
    const zones = [
      'UTC',
      'Europe/Warsaw',
      'America/New_York',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Australia/Lord_Howe',
    ];
    const times = [
      CREATED,
      new Date('2026-03-29T00:59:00Z'),
      new Date('2026-03-29T01:00:00Z'),
      new Date('2026-10-25T00:30:00Z'),
      new Date('2026-10-25T01:30:00Z'),
      new Date('2026-11-01T05:59:00Z'),
      new Date('2026-11-01T06:00:00Z'),
      new Date('1999-12-31T23:59:59Z'),
      new Date('2030-06-15T12:00:00Z'),
    ];
    for (let h = 0; h < 24 * 366; h += 13) times.push(new Date(Date.UTC(2027, 0, 1) + h * 3600_000 + 17 * 60_000));
    for (const zone of zones) {
      const inZone = readCsvBytes(
        Buffer.from(
          csvBody({ timeZone: zone, columns: times.map((_, i) => ({ time: `t${i}` })), rows: [times] }),
          'utf8',
        ),
      );
      expect(inZone.rows[0]).toEqual(times.map((t) => formatDateTime(t, zone)));
    }
  });
});

describe('every export.csv of the route table', () => {
  it("is spreadsheet-safe and writes times in the user's zone, for every domain", async () => {
    const company = await ctx.make.company({ name: 'Łódź;=1+1 Café', slug: 'lodz', createdAt: CREATED });
    await ctx.make.company({ name: '+Plus Corp', slug: 'plus', createdAt: CREATED });
    const su = await ctx.make.superuser({ name: 'Sue Super', timeZone: 'Europe/Warsaw' });
    const staff = await ctx.make.staff(company.id, { name: '=Evil Name', lastSignInAt: CREATED, createdAt: CREATED });
    const customer = await ctx.make.customer(company.id, {
      name: '=1+1',
      organisation: 'Acme;=1+1',
      address: 'Café\r\nŁódź',
      phone: '+48 600 100 200',
      ownerId: staff.id,
      createdAt: CREATED,
    });
    await ctx.make.lead(company.id, staff.id, {
      title: '@SUM(A1)',
      contactName: '-2+3',
      organisation: 'Acme,=1+1',
      customerId: customer.id,
      createdAt: CREATED,
      convertedAt: CREATED,
    });
    await ctx.make.activity(company.id, staff.id, {
      summary: '-cmd|calc',
      details: 'Łódź\r\n=2',
      customerId: customer.id,
      occurredAt: CREATED,
      createdAt: CREATED,
    });
    await ctx.make.task(company.id, staff.id, {
      title: '\t=1',
      dueAt: CREATED,
      customerId: customer.id,
      createdAt: CREATED,
    });
    await ctx.make.appointment(company.id, [staff.id], {
      title: '\r=1',
      location: 'Łódź',
      customerId: customer.id,
      startsAt: CREATED,
    });
    const s = await signInAs(ctx, su);

    // The report's export holds sums, not records (no times, one company at a time): tests/report checks its cells.
    const exports = ctx.routes
      .filter((r) => r.method === 'get' && r.path.endsWith('/export.csv') && r.path !== '/reports/export.csv')
      .map((r) => r.path);
    expect(ctx.routes.some((r) => r.path === '/reports/export.csv')).toBe(true);
    expect(exports.sort()).toEqual([
      '/activities/export.csv',
      '/appointments/export.csv',
      '/companies/export.csv',
      '/customers/export.csv',
      '/leads/export.csv',
      '/tasks/export.csv',
      '/users/export.csv',
    ]);
    const problems: string[] = [];
    for (const path of exports) {
      // ?when=all: the appointment export lists upcoming ones by default.
      const csv = await downloadCsv(s.get(`${path}?when=all`));
      const where = (what: string) => problems.push(`${path}: ${what}`);
      if (csv.rows.length === 0) where('no rows');
      for (const row of csv.rows) {
        if (row.length !== csv.header.length) where(`a row of ${row.length} cells under ${csv.header.length} headers`);
        for (const cell of row) {
          if (FORMULA_START.test(cell)) where(`formula cell ${JSON.stringify(cell)}`);
          if (/\d{4}-\d{2}-\d{2}T\d{2}:/.test(cell)) where(`an ISO (UTC) time ${cell}`);
        }
      }
      const timeColumns = csv.header.filter((h) => h.endsWith(' (Europe/Warsaw)'));
      if (timeColumns.length === 0) where('no time column naming the zone');
      for (const h of csv.header)
        if (/\(.*\)$/.test(h) && !timeColumns.includes(h)) where(`header ${h} names another zone`);
      for (const h of timeColumns) {
        for (const cell of column(csv, h))
          if (!/^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})?$/.test(cell)) where(`${h}: ${JSON.stringify(cell)}`);
      }
      if (!timeColumns.some((h) => column(csv, h).includes(CREATED_IN_WARSAW)))
        where(`no ${CREATED_IN_WARSAW} (Warsaw time of the planted rows)`);
      if (!csv.bytes.includes(Buffer.from('Łódź', 'utf8'))) where('Łódź is not UTF-8 in the file');
    }
    expect(problems).toEqual([]);

    const customers = await downloadCsv(s.get('/customers/export.csv'), 'customers.csv');
    expect(column(customers, 'name')).toEqual(["'=1+1"]);
    expect(column(customers, 'organisation')).toEqual(['Acme;=1+1']);
    expect(column(customers, 'address')).toEqual(['Café\r\nŁódź']);
    expect(column(customers, 'owner')).toEqual(["'=Evil Name"]);
    expect(column(customers, 'company')).toEqual(['Łódź;=1+1 Café']);
    expect(customers.text).toContain('"Acme;=1+1"');
    const leads = await downloadCsv(s.get('/leads/export.csv'), 'leads.csv');
    expect([column(leads, 'title'), column(leads, 'contact name'), column(leads, 'converted (Europe/Warsaw)')]).toEqual(
      [["'@SUM(A1)"], ["'-2+3"], [CREATED_IN_WARSAW]],
    );
    const tasks = await downloadCsv(s.get('/tasks/export.csv'), 'tasks.csv');
    expect([column(tasks, 'title'), column(tasks, 'due (Europe/Warsaw)')]).toEqual([["'\t=1"], [CREATED_IN_WARSAW]]);
    const appointments = await downloadCsv(s.get('/appointments/export.csv?when=all'), 'appointments.csv');
    expect([column(appointments, 'title'), column(appointments, 'start (Europe/Warsaw)')]).toEqual([
      ["'\r=1"],
      [CREATED_IN_WARSAW],
    ]);
    const activities = await downloadCsv(s.get('/activities/export.csv'), 'activities.csv');
    expect([column(activities, 'summary'), column(activities, 'when (Europe/Warsaw)')]).toEqual([
      ["'-cmd|calc"],
      [CREATED_IN_WARSAW],
    ]);
    const companies = await downloadCsv(s.get('/companies/export.csv?sort=name'), 'companies.csv');
    expect(column(companies, 'name').sort()).toEqual(["'+Plus Corp", 'Łódź;=1+1 Café']);
    const users = await downloadCsv(s.get('/users/export.csv'), 'users.csv');
    expect(column(users, 'last sign-in (Europe/Warsaw)')).toContain(CREATED_IN_WARSAW);
  }, 180_000);
});
