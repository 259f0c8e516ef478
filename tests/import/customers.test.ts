// Importing customers from real-world files: Excel's semicolon CSV (UTF-8 with a BOM, or Windows-1252), a Google
// Sheets export (comma, CRLF, quoted newlines), an empty line; the preview's per-row errors, the counts against
// the database, duplicates (skip, update, create anyway), the failed rows' CSV, formula cells, and the refusals.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { csvRows, makeWorld, type World } from '../customer/world.ts';
import { fieldError } from '../helpers/html.ts';
import { choose, finished, importFile, postFile, upload, utf8, utf8Bom, windows1252 } from './helpers.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const EXCEL = [
  'Name;E-mail;Telephone;Company;Address',
  'Müller GmbH;info@mueller.test;+49 30 1234567;Müller Gruppe;Hauptstraße 1',
  'Société Générale;contact@societe.test;01 23 45 67 89;Société;1 rue de l’Église',
  ';nobody@x.test;;;',
  'Bad Mail;not-an-email;;;',
  'Bad Phone;phone@x.test;call me;;',
].join('\r\n');

describe('customer import', () => {
  it('reads an Excel semicolon file in Windows-1252: guessed mapping, per-row errors in the preview', async () => {
    const s = await w.as(w.managerA);
    const id = await upload(s, 'customers', windows1252(EXCEL), 'excel.csv');
    const page = await s.get(`/imports/${id}`).expect(200);
    expect(page.text).toContain('Windows-1252');
    expect(page.text).toContain('semicolon separated');
    const imp = await ctx.prisma.import.findUniqueOrThrow({ where: { id } });
    expect(imp.mapping).toEqual(['name', 'email', 'phone', 'organisation', 'address']);
    expect(imp.totalRows).toBe(5);
    const problems = (line: number) =>
      new RegExp(`data-row-problems="${line}">([^<]*)<`).exec(page.text)?.[1].replace(/\s+/g, ' ').trim();
    expect(problems(2)).toBe('OK');
    expect(problems(3)).toBe('OK');
    expect(problems(4)).toMatch(/^Name: /);
    expect(problems(5)).toMatch(/^Email: /);
    expect(problems(6)).toMatch(/^Phone: Use digits/);
    expect(page.text).toContain('Müller Gruppe');
    // Nothing is saved before "Import".
    expect(await ctx.prisma.customer.count()).toBe(0);

    await choose(s, id, { action: 'import' }, 303);
    const done = await finished(ctx, id);
    expect(done).toMatchObject({ status: 'DONE', created: 2, updated: 0, skipped: 0, failed: 3, content: '' });
    const names = (await ctx.prisma.customer.findMany({ orderBy: { id: 'asc' } })).map((c) => [c.name, c.companyId]);
    expect(names).toEqual([
      ['Müller GmbH', w.a.id],
      ['Société Générale', w.a.id],
    ]);
    const church = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Société Générale' } });
    expect(church.address).toBe('1 rue de l’Église');
    expect(await ctx.prisma.importRow.count({ where: { importId: id, action: 'FAILED' } })).toBe(3);

    const summary = await s.get(`/imports/${id}`).expect(200);
    expect(summary.text).toMatch(/data-count="created">2</);
    expect(summary.text).toMatch(/data-count="failed">3\s/);
    const failed = await s.get(`/imports/${id}/failed.csv`).expect(200);
    const rows = csvRows(failed.text);
    expect(rows[0]).toEqual(['row', 'problems', 'Name', 'E-mail', 'Telephone', 'Company', 'Address']);
    expect(rows.map((r) => r[0]).slice(1)).toEqual(['4', '5', '6']);
    expect(rows[2][1]).toMatch(/^Email: /);
    expect(rows[2][3]).toBe('not-an-email');

    const audit = await ctx.prisma.auditEntry.findMany({ where: { model: 'Import' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'import', actorId: w.managerA.id, companyId: w.a.id });
  });

  it('reads UTF-8 with a BOM and semicolons the same way', async () => {
    const s = await w.as(w.managerA);
    const done = await importFile(ctx, s, 'customers', utf8Bom(EXCEL));
    expect(done).toMatchObject({ encoding: 'UTF-8', created: 2, failed: 3 });
    expect(await ctx.prisma.customer.count({ where: { name: 'Müller GmbH' } })).toBe(1);
  });

  it('reads a Google Sheets export: commas, CRLF, quoted newlines, an empty line; formulas stay text', async () => {
    const file = [
      'name,email,phone,organisation,address,notes',
      '"Ada, Ltd",ada@x.test,,Ada,"1 Road\r\nFlat 2\r\nLondon",first',
      '',
      'Formula Co,formula@x.test,,=1+1,@SUM(A1),"=HYPERLINK(""http://evil.test"")"',
      'Minus,minus@x.test,,-2+3,+44,plain',
      '',
    ].join('\r\n');
    const s = await w.as(w.managerA);
    const done = await importFile(ctx, s, 'customers', utf8(file));
    expect(done).toMatchObject({ created: 3, failed: 0, totalRows: 3 });
    const ada = await ctx.prisma.customer.findFirstOrThrow({ where: { email: 'ada@x.test' } });
    expect(ada).toMatchObject({ name: 'Ada, Ltd', address: '1 Road\r\nFlat 2\r\nLondon' });
    const formula = await ctx.prisma.customer.findFirstOrThrow({ where: { email: 'formula@x.test' } });
    expect(formula).toMatchObject({ organisation: '=1+1', address: '@SUM(A1)' });
    // The export neutralises them again: a spreadsheet shows the text, never computes it.
    const csv = csvRows((await s.get('/customers/export.csv').expect(200)).text);
    const header = csv[0];
    const row = csv.find((r) => r.includes('formula@x.test'))!;
    expect(row[header.indexOf('organisation')]).toBe("'=1+1");
    expect(row[header.indexOf('address')]).toBe("'@SUM(A1)");
    const minus = csv.find((r) => r.includes('minus@x.test'))!;
    expect(minus[header.indexOf('organisation')]).toBe("'-2+3");
  });

  it('skips duplicates by email (any case) and within the file; a second import creates nothing new', async () => {
    await ctx.make.customer(w.a.id, { name: 'Known', email: 'KNOWN@x.test' });
    await ctx.make.customer(w.b.id, { name: 'Other company', email: 'new@x.test' });
    const file = 'Name,Email\r\nKnown again,known@X.test\r\nNew,new@x.test\r\nNew twice,NEW@x.test\r\nNo mail,\r\n';
    const s = await w.as(w.managerA);
    const first = await importFile(ctx, s, 'customers', utf8(file), { duplicates: 'skip' });
    expect(first).toMatchObject({ created: 2, skipped: 2, updated: 0, failed: 0 });
    expect(await ctx.prisma.customer.count({ where: { companyId: w.a.id } })).toBe(3);
    const reasons = await ctx.prisma.importRow.findMany({
      where: { importId: first.id, action: 'SKIPPED' },
      orderBy: { line: 'asc' },
    });
    expect(reasons.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^Same email as customer #\d+\.$/),
      'Same email as row 3 of this file.',
    ]);
    const before = await ctx.prisma.customer.findMany({ orderBy: { id: 'asc' } });
    const second = await importFile(ctx, s, 'customers', utf8(file), { duplicates: 'skip' });
    // The row without an email has nothing to match by: created again, as a form would.
    expect(second).toMatchObject({ created: 1, skipped: 3 });
    const after = await ctx.prisma.customer.findMany({ orderBy: { id: 'asc' } });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((c) => c.name)).toEqual(['No mail']);
  });

  it('"create anyway" creates every row; "update" changes only the mapped fields', async () => {
    const known = await ctx.make.customer(w.a.id, { name: 'Known', email: 'known@x.test', address: 'Old street' });
    const s = await w.as(w.managerA);
    await importFile(ctx, s, 'customers', utf8('Name,Email\r\nKnown copy,known@x.test\r\n'), { duplicates: 'create' });
    expect(await ctx.prisma.customer.count({ where: { email: 'known@x.test' } })).toBe(2);
    const upd = await importFile(ctx, s, 'customers', utf8('Name,Email,Phone\r\nKnown Renamed,Known@x.test,123\r\n'), {
      duplicates: 'update',
    });
    expect(upd).toMatchObject({ updated: 1, created: 0 });
    const after = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: known.id } });
    expect(after).toMatchObject({
      name: 'Known Renamed',
      phone: '123',
      address: 'Old street',
      version: known.version + 1,
    });
  });
});

describe('customer import refusals', () => {
  it('staff and superusers cannot import customers; another company’s import is a 404', async () => {
    const staff = await w.as(w.staffA);
    expect((await staff.get('/customers/import').expect(403)).text).toContain(
      'Only account managers import customers.',
    );
    await postFile(staff, 'customers', utf8('Name\r\nX\r\n')).expect(403);
    const su = await w.as(w.su);
    expect((await su.get('/customers/import').expect(403)).text).toContain('Imports go into a company');
    const s = await w.as(w.managerA);
    const done = await importFile(ctx, s, 'customers', utf8('Name\r\nX\r\n'));
    const other = await w.as(w.managerB);
    await other.get(`/imports/${done.id}`).expect(404);
    await other.get(`/imports/${done.id}/failed.csv`).expect(404);
    await other.post(`/imports/${done.id}/undo`).expect(404);
    await (await w.as(w.staffA)).get(`/imports/${done.id}`).expect(404);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });

  it('refuses an upload without its CSRF token (403), an empty or binary file (422), a too big one (413)', async () => {
    const s = await w.as(w.managerA);
    await postFile(s, 'customers', utf8('Name\r\nX\r\n'), 'x.csv', false).expect(403);
    const empty = await postFile(s, 'customers', utf8('Name\r\n')).expect(422);
    expect(empty.text).toContain('The file has no rows under its header line.');
    await postFile(s, 'customers', Buffer.from([0x4e, 0x0a, 0x00, 0x01, 0x0a])).expect(422);
    const big = Buffer.alloc(21 * 1024 * 1024, 0x61);
    const res = await postFile(s, 'customers', big).expect(413);
    expect(res.text).toContain('larger than 20 MB');
    expect(await ctx.prisma.import.count()).toBe(0);
  });

  it('refuses a bad mapping with 422 and the choices kept; a started import cannot be mapped again', async () => {
    const s = await w.as(w.managerA);
    const id = await upload(s, 'customers', utf8('Name,Email,Mail\r\nX,x@x.test,y@x.test\r\n'));
    const twice = await choose(s, id, { map: { map_2: 'email' } }, 422);
    expect(fieldError(twice.text, 'map_2')).toContain('Already chosen for the column "Email"');
    expect(twice.text).toMatch(/<option value="email" selected>/);
    const unknown = await choose(s, id, { map: { map_1: 'ownerId' } }, 422);
    expect(fieldError(unknown.text, 'map_1')).toBe('Choose a field from the list.');
    const noName = await choose(s, id, { map: { map_0: '' } }, 422);
    expect(noName.text).toContain('Choose a column for Name: every row needs it.');
    const noCsrf = await s.agent.post(`/imports/${id}`).type('form').send({ map_0: 'name', duplicates: 'skip' });
    expect(noCsrf.status).toBe(403);
    expect((await ctx.prisma.import.findUniqueOrThrow({ where: { id } })).status).toBe('PREVIEW');
    await choose(s, id, { action: 'import' }, 303);
    await finished(ctx, id);
    await s.post(`/imports/${id}`, { map_0: 'name', duplicates: 'skip', action: 'import' }).expect(409);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });

  it('saves a mapping by name and applies it to the next upload', async () => {
    const s = await w.as(w.managerA);
    const id = await upload(s, 'customers', utf8('Kunde,Zeug\r\nX,x@x.test\r\n'));
    await choose(s, id, { map: { map_0: 'name', map_1: 'email' }, mappingName: 'German CRM' }, 303);
    await finished(ctx, id);
    const saved = await ctx.prisma.importMapping.findFirstOrThrow({ where: { name: 'German CRM' } });
    const page = await s.get('/customers/import').expect(200);
    expect(page.text).toContain('German CRM');
    const res = await postFile(s, 'customers', utf8('Kunde,Zeug\r\nY,y@x.test\r\n'))
      .field('mappingId', String(saved.id))
      .expect(303);
    const next = await ctx.prisma.import.findUniqueOrThrow({
      where: { id: Number(res.headers.location.split('/')[2]) },
    });
    expect(next.mapping).toEqual(['name', 'email']);
  });
});

describe('imported phones and duplicate detection', () => {
  it("writes each row's phone key: the form then warns of the imported customer; an update rewrites it", async () => {
    const s = await w.as(w.managerA);
    const file = ['Name,Email,Phone', 'Ada Imported,ada@import.test,020 7946 0000'].join('\n');
    await importFile(ctx, s, 'customers', utf8(file));
    const row = await ctx.prisma.customer.findFirstOrThrow({ where: { email: 'ada@import.test' } });
    expect(row.phoneKey).toMatch(/^\+\d{8,}$/);
    // The same number written another way is found by the form's duplicate check.
    const warned = await s
      .post('/customers', { name: 'Somebody Else', email: '', phone: row.phoneKey, organisation: '', ownerId: '' })
      .expect(422);
    expect(warned.text).toContain('Possibly the same as');
    expect(warned.text).toContain('Ada Imported');
    // An update through a second import rewrites the key with the phone.
    const update = ['Name,Email,Phone', 'Ada Imported,ada@import.test,+33 1 23 45 67 89'].join('\n');
    await importFile(ctx, s, 'customers', utf8(update), { duplicates: 'update' });
    const updated = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: row.id } });
    expect(updated.phoneKey).toBe('+33123456789');
    // A row with another email but the same phone is the same customer: skipped, said so in the preview and after.
    const samePhone = ['Name,Email,Phone', 'Ada L.,ada.l@elsewhere.test,+33-1-23-45-67-89', 'Bob,bob@x.test,'].join(
      '\n',
    );
    const id = await upload(s, 'customers', utf8(samePhone));
    const preview = await choose(s, id, { action: 'preview', map: { map_2: 'phone' } });
    expect(preview.text).toContain(`Same phone as <a href="/customers/${row.id}">customer #${row.id}</a>`);
    await choose(s, id, { duplicates: 'skip' });
    expect(await finished(ctx, id)).toMatchObject({ created: 1, skipped: 1 });
    const skipped = await ctx.prisma.importRow.findFirstOrThrow({ where: { importId: id, action: 'SKIPPED' } });
    expect(skipped.reason).toBe(`Same phone as customer #${row.id}.`);
    expect(await ctx.prisma.customer.count({ where: { email: 'ada.l@elsewhere.test' } })).toBe(0);
  });
});
