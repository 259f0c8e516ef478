// /audit: account managers read their company's trail, superusers everyone's; staff are refused.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { auditEntryWriter } from '../audit/entries.ts';
import { textOf } from '../audit/text.ts';
import { makeWorld } from './world.ts';

const ctx = useTestContext();

const entry = auditEntryWriter(ctx);

describe('the audit trail', () => {
  it(
    "shows an account manager their company's entries " + 'only, with model/action filters; ?companyId is ignored',
    async () => {
      const w = await makeWorld(ctx);
      await entry(w.a.id, w.managerA.id, 'Lead', 'update', 11, { title: ['Alpha old title', 'Alpha new title'] });
      await entry(w.a.id, w.managerA.id, 'User', 'role', 12, { role: ['STAFF', 'ACCOUNT_MANAGER'] });
      await entry(w.b.id, w.managerB.id, 'Lead', 'update', 21, { title: ['Bravo secret', 'Bravo secret 2'] });
      const m = await w.as(w.managerA);
      let res = await m.get('/audit').expect(200);
      expect(textOf(res.text)).toContain('Title: Alpha old title → Alpha new title');
      expect(textOf(res.text)).toContain('Role: Staff → Account manager');
      expect(res.text).not.toContain('Bravo secret');
      expect(res.text).not.toContain('Mike Bravo');
      res = await m.get(`/audit?companyId=${w.b.id}`).expect(200);
      expect(res.text).not.toContain('Bravo secret');
      expect(res.text).toContain('Alpha new title');
      res = await m.get('/audit?model=User').expect(200);
      expect(textOf(res.text)).toContain('Role: Staff');
      expect(res.text).not.toContain('Alpha new title');
      res = await m.get('/audit?action=update&model=Lead&recordId=11').expect(200);
      expect(res.text).toContain('Alpha new title');
      expect(textOf(res.text)).not.toContain('Role: Staff');
      res = await m.get('/audit?action=nothing').expect(200);
      expect(res.text).toContain('No changes recorded');
      await m.get('/audit?model=a&model=b').expect(400);
    },
  );

  it('shows a superuser every company, filtered by company, with pages and a fixed number of queries', async () => {
    const w = await makeWorld(ctx);
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', 11, { title: ['x', 'Alpha thing'] });
    await entry(w.b.id, w.managerB.id, 'Lead', 'update', 21, { title: ['y', 'Bravo thing'] });
    const su = await w.as(w.su);
    let res = await su.get('/audit').expect(200);
    expect(res.text).toContain('Alpha thing');
    expect(res.text).toContain('Bravo thing');
    res = await su.get(`/audit?companyId=${w.b.id}`).expect(200);
    expect(res.text).toContain('Bravo thing');
    expect(res.text).not.toContain('Alpha thing');
    ctx.takeQueryCount();
    await su.get('/audit').expect(200);
    const few = ctx.takeQueryCount();
    for (let i = 0; i < 40; i++) await entry(w.a.id, w.managerA.id, 'Task', 'create', 100 + i, { title: `T${i}` });
    ctx.takeQueryCount();
    res = await su.get('/audit').expect(200);
    expect(ctx.takeQueryCount()).toBe(few);
    expect(res.text).toContain('Showing 1–25 of 42 entries');
    res = await su.get('/audit?page=2').expect(200);
    expect(res.text).toContain('Showing 26–42 of 42 entries');
  });

  it('is refused to staff', async () => {
    const w = await makeWorld(ctx);
    await (await w.as(w.staffA)).get('/audit').expect(403);
  });

  it('records the changes made through the pages, never a secret', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    await m
      .post('/users', { name: 'Audited Person', email: 'ap@alpha.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(303);
    const res = await m.get('/audit?model=User&action=create').expect(200);
    expect(textOf(res.text)).toContain('Name: Audited Person');
    expect(res.text).toContain('Maria Alpha');
    const all = await ctx.prisma.auditEntry.findMany();
    expect(JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toMatch(
      /argon2|tokenHash|passwordHash/,
    );
  });
});
