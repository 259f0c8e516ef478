// Importing leads: staff import their own (the assignee is always them; a crafted assignee column is refused),
// account managers map an "assignee email" column checked against the company's active users; choices by their
// labels, the lost-reason rule of the form; a 5,000-row file whose counts match the database.
import { beforeEach, describe, expect, it } from 'vitest';
import { limitedStaff, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { fieldError } from '../helpers/html.ts';
import { choose, finished, importFile, postFile, snapshot, upload, utf8 } from './helpers.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

describe('lead import by staff', () => {
  it('assigns every lead to the importer, in their company', async () => {
    const s = await w.as(w.staffA);
    const page = await s.get('/leads/import').expect(200);
    expect(page.text).not.toContain('Assignee email');
    const file = 'Title,Contact,Email,Source,Status,Value\r\nDeal A,Ann,ann@x.test,Cold call,contacted,1200.50\r\n';
    const imp = await importFile(ctx, s, 'leads', utf8(file));
    expect(imp).toMatchObject({ created: 1, failed: 0 });
    const lead = await ctx.prisma.lead.findFirstOrThrow();
    expect(lead).toMatchObject({
      companyId: w.a.id,
      assigneeId: w.staffA.id,
      createdById: w.staffA.id,
      contactName: 'Ann',
      source: 'COLD_CALL',
      status: 'CONTACTED',
    });
    expect(lead.estimatedValue?.toFixed(2)).toBe('1200.50');
    expect(lead.searchText).toContain('deal a');
  });

  it('refuses a crafted assignee column (422, nothing saved) and staff without lead.add (403)', async () => {
    const s = await w.as(w.staffA);
    const id = await upload(s, 'leads', utf8(`Title,Assignee\r\nMine?,${w.colleagueA.email}\r\n`));
    const refused = await choose(s, id, { map: { map_1: 'assigneeEmail' } }, 422);
    expect(fieldError(refused.text, 'map_1')).toBe('Choose a field from the list.');
    const crafted = await choose(s, id, { map: { map_1: 'assigneeId' } }, 422);
    expect(fieldError(crafted.text, 'map_1')).toBe('Choose a field from the list.');
    expect((await ctx.prisma.import.findUniqueOrThrow({ where: { id } })).status).toBe('PREVIEW');
    expect(await ctx.prisma.lead.count()).toBe(0);
    const viewer = await w.as(await limitedStaff(ctx, w.a.id, ['lead.view']));
    await viewer.get('/leads/import').expect(403);
    await postFile(viewer, 'leads', utf8('Title\r\nX\r\n')).expect(403);
    await viewer
      .get('/leads')
      .expect(200)
      .expect((r) => expect(r.text).not.toContain('href="/leads/import"'));
    expect(await ctx.prisma.import.count({ where: { NOT: { id } } })).toBe(0);
  });

  it('matches duplicates among the staff user’s own leads only', async () => {
    await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague’s', email: 'same@x.test' });
    await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Mine', email: 'mine@x.test' });
    const s = await w.as(w.staffA);
    const imp = await importFile(ctx, s, 'leads', utf8('Title,Email\r\nA,same@x.test\r\nB,MINE@x.test\r\n'));
    expect(imp).toMatchObject({ created: 1, skipped: 1 });
    expect(await ctx.prisma.lead.count({ where: { assigneeId: w.staffA.id } })).toBe(2);
  });
});

describe('lead import by an account manager', () => {
  it('assigns from an assignee email column: unknown or inactive is a row error, empty is the importer', async () => {
    const gone = await ctx.make.staff(w.a.id, { name: 'Gone', email: 'gone@alpha.test', active: false });
    expect(gone.active).toBe(false);
    const s = await w.as(w.managerA);
    const file = [
      'Title,Assignee email,Status,Lost reason',
      `To Steve,${w.staffA.email.toUpperCase()},,`,
      'To nobody,nobody@alpha.test,,',
      'To gone,gone@alpha.test,,',
      `To Bravo,${w.staffB.email},,`,
      'To me,,,',
      'Lost without reason,,Lost,',
      'Lost with reason,,Lost,Price',
    ].join('\n');
    const id = await upload(s, 'leads', utf8(file));
    const preview = await s.get(`/imports/${id}`).expect(200);
    expect(preview.text).toContain('Assignee email: No active user of your company has this email.');
    expect(preview.text).toContain('Lost reason: Choose why the deal was lost.');
    await choose(s, id, {});
    const imp = await finished(ctx, id);
    expect(imp).toMatchObject({ created: 3, failed: 4 });
    const leads = await ctx.prisma.lead.findMany({ orderBy: { id: 'asc' } });
    expect(leads.map((l) => [l.title, l.assigneeId])).toEqual([
      ['To Steve', w.staffA.id],
      ['To me', w.managerA.id],
      ['Lost with reason', w.managerA.id],
    ]);
    expect(leads[2]).toMatchObject({ status: 'LOST', lostReason: 'PRICE' });
    expect(leads[2].closedAt).not.toBeNull();
  });

  it('imports a 5,000-row file in batches; the counts match the database; undo removes them all', async () => {
    const before = await snapshot(ctx, 'Lead');
    const rows = ['Title,Contact name,Email,Phone,Organisation,Source,Estimated value,Expected close date'];
    for (let i = 0; i < 5000; i++) {
      const bad = i % 500 === 7; // ten rows with an invalid email
      rows.push(
        `Deal ${i},Person ${i},${bad ? 'broken' : `p${i}@bulk.test`},+44 20 7946 ${String(i).padStart(4, '0')},` +
          `Org ${i % 97},Website,${i}.50,2027-0${(i % 9) + 1}-15`,
      );
    }
    rows.push(`Deal again,Person,p1@bulk.test,,,,,`); // the same email as row 3
    const s = await w.as(w.managerA);
    const imp = await importFile(ctx, s, 'leads', utf8(rows.join('\r\n')));
    expect(imp).toMatchObject({
      status: 'DONE',
      totalRows: 5001,
      processed: 5001,
      created: 4990,
      failed: 10,
      skipped: 1,
    });
    expect(await ctx.prisma.lead.count({ where: { companyId: w.a.id } })).toBe(4990);
    const byAction = await ctx.prisma.importRow.groupBy({ by: ['action'], where: { importId: imp.id }, _count: true });
    expect(Object.fromEntries(byAction.map((r) => [r.action, r._count]))).toEqual({
      CREATED: 4990,
      FAILED: 10,
      SKIPPED: 1,
    });
    const sample = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Deal 42' } });
    expect(sample.expectedCloseDate?.toISOString().slice(0, 10)).toBe('2027-07-15');
    expect(sample.estimatedValue?.toFixed(2)).toBe('42.50');
    await s.post(`/imports/${imp.id}/undo`).expect(303);
    expect(await snapshot(ctx, 'Lead')).toEqual(before);
  }, 120_000);
});

describe('an import being mapped', () => {
  it('is mapped by its uploader only; their account manager and a superuser see its status', async () => {
    const s = await w.as(w.staffA);
    const id = await upload(s, 'leads', utf8('Title\r\nOne\r\n'));
    for (const other of [w.managerA, w.su]) {
      const page = await (await w.as(other)).get(`/imports/${id}`).expect(200);
      expect(page.text).toContain('Not started: Sam Staff is choosing its columns');
    }
    const manager = await w.as(w.managerA);
    await manager.post(`/imports/${id}`, { map_0: 'title', duplicates: 'skip', action: 'import' }).expect(403);
    await (await w.as(w.su)).post(`/imports/${id}`, { map_0: 'title', action: 'import' }).expect(403);
    expect((await ctx.prisma.import.findUniqueOrThrow({ where: { id } })).status).toBe('PREVIEW');
  });
});
