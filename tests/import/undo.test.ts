// Undoing an import: the created rows go, the updated ones get their previous values back (compared table by
// table, every column), one audit entry; refused whole, naming the rows, when a record changed since; who may.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { importFile, snapshot, utf8 } from './helpers.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const FILE = 'Name,Email,Phone\r\nKnown Renamed,KNOWN@x.test,+1 555\r\nFresh,fresh@x.test,\r\nBad,nope,\r\n';

async function withKnown() {
  const known = await ctx.make.customer(w.a.id, { name: 'Known', email: 'known@x.test', address: 'Old street' });
  // A change after creation, so the restored version and time are not the defaults.
  await ctx.prisma.customer.update({ where: { id: known.id }, data: { notes: 'kept', version: 3 } });
  await ctx.make.customer(w.b.id, { name: 'Other company', email: 'fresh@x.test' });
  return known;
}

describe('undoing an import', () => {
  it('restores the exact previous state of every table it touched, with one audit entry', async () => {
    await withKnown();
    const customersBefore = await snapshot(ctx, 'Customer');
    const leadsBefore = await snapshot(ctx, 'Lead');
    const s = await w.as(w.managerA);
    const imp = await importFile(ctx, s, 'customers', utf8(FILE), { duplicates: 'update' });
    expect(imp).toMatchObject({ created: 1, updated: 1, failed: 1 });
    expect(await snapshot(ctx, 'Customer')).not.toEqual(customersBefore);
    const page = await s.get(`/imports/${imp.id}`).expect(200);
    expect(page.text).toContain('Undo this import');
    await s.post(`/imports/${imp.id}/undo`).expect(303);
    expect(await snapshot(ctx, 'Customer')).toEqual(customersBefore);
    expect(await snapshot(ctx, 'Lead')).toEqual(leadsBefore);
    const after = await ctx.prisma.import.findUniqueOrThrow({ where: { id: imp.id } });
    expect(after.status).toBe('UNDONE');
    const entries = await ctx.prisma.auditEntry.findMany({ where: { model: 'Import' }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['import', 'undoImport']);
    expect(entries[1].changes).toEqual({ deleted: [null, 1], restored: [null, 1] });
    // Once undone, never again.
    await s.post(`/imports/${imp.id}/undo`).expect(409);
    expect(await snapshot(ctx, 'Customer')).toEqual(customersBefore);
  });

  it('refuses the whole undo, naming the rows, when a record was changed or used since', async () => {
    const known = await withKnown();
    const s = await w.as(w.managerA);
    const imp = await importFile(ctx, s, 'customers', utf8(FILE), { duplicates: 'update' });
    // Someone edits the updated customer through the form; a lead is attached to the created one.
    const edit = await s.get(`/customers/${known.id}/edit`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(edit.text)![1];
    await s.post(`/customers/${known.id}`, { name: 'Edited by hand', email: 'known@x.test', version }).expect(303);
    const fresh = await ctx.prisma.customer.findFirstOrThrow({ where: { email: 'fresh@x.test', companyId: w.a.id } });
    await ctx.make.lead(w.a.id, w.staffA.id, { customerId: fresh.id });
    const before = await snapshot(ctx, 'Customer');
    const res = await s.post(`/imports/${imp.id}/undo`).expect(409);
    expect(res.text).toContain('Nothing was undone');
    expect(res.text).toMatch(/Row 2: <a href="\/customers\/\d+">customer #\d+<\/a> changed since/);
    expect(res.text).toMatch(/Row 3: <a href="\/customers\/\d+">customer #\d+<\/a> has related records added since/);
    expect(await snapshot(ctx, 'Customer')).toEqual(before);
    expect((await ctx.prisma.import.findUniqueOrThrow({ where: { id: imp.id } })).status).toBe('DONE');
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'undoImport' } })).toBe(0);
  });

  it('lets the importer and account managers undo, for seven days; other staff never see it', async () => {
    const staff = await w.as(w.staffA);
    const imp = await importFile(ctx, staff, 'leads', utf8('Title\r\nOne\r\nTwo\r\n'));
    expect(imp.created).toBe(2);
    await (await w.as(w.colleagueA)).post(`/imports/${imp.id}/undo`).expect(404);
    await (await w.as(w.managerB)).post(`/imports/${imp.id}/undo`).expect(404);
    expect(await ctx.prisma.lead.count()).toBe(2);
    await ctx.prisma.import.update({
      where: { id: imp.id },
      data: { finishedAt: new Date(Date.now() - 8 * 86_400_000) },
    });
    const late = await staff.post(`/imports/${imp.id}/undo`).expect(409);
    expect(late.text).toContain('can be undone for 7 days');
    expect(await ctx.prisma.lead.count()).toBe(2);
    await ctx.prisma.import.update({ where: { id: imp.id }, data: { finishedAt: new Date() } });
    const manager = await w.as(w.managerA);
    const list = await manager.get('/leads/import').expect(200);
    expect(list.text).toContain(`action="/imports/${imp.id}/undo"`);
    await manager.post(`/imports/${imp.id}/undo`).expect(303);
    expect(await ctx.prisma.lead.count()).toBe(0);
  });

  it('refuses an undo without the CSRF token', async () => {
    const s = await w.as(w.managerA);
    const imp = await importFile(ctx, s, 'customers', utf8('Name\r\nX\r\n'));
    const res = await s.agent.post(`/imports/${imp.id}/undo`).type('form').send({});
    expect(res.status).toBe(403);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });
});

describe('an import the database stops', () => {
  it('ends FAILED with the rows saved before kept, counted and undoable; the page says where it stopped', async () => {
    await ctx.db.pool.query(`ALTER TABLE "Customer" ADD CONSTRAINT test_no_boom CHECK (name <> 'Boom')`);
    try {
      const rows = ['Name'];
      for (let i = 0; i < 2500; i++) rows.push(i === 2100 ? 'Boom' : `Row ${i}`);
      const s = await w.as(w.managerA);
      const imp = await importFile(ctx, s, 'customers', utf8(rows.join('\n')));
      expect(imp).toMatchObject({ status: 'FAILED', processed: 2000, created: 2000, content: '' });
      const page = await s.get(`/imports/${imp.id}`).expect(200);
      expect(page.text).toContain('the rows from row 2002 on could not be saved.');
      expect(page.text).not.toContain('test_no_boom');
      await s.post(`/imports/${imp.id}/undo`).expect(303);
      expect(await ctx.prisma.customer.count()).toBe(0);
    } finally {
      await ctx.db.pool.query('ALTER TABLE "Customer" DROP CONSTRAINT test_no_boom');
    }
  }, 60_000);
});
