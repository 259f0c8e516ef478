// Leads: role-adaptive create and edit, assignment mail, optimistic locking, refusals.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { limitedStaff, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { leadForm } from './form.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const form = leadForm;

describe('creating leads', () => {
  it('staff: no assignee or company field; the lead is theirs whatever the POST says; no mail', async () => {
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get('/leads/new').expect(200);
    expect(page.text).not.toContain('name="assigneeId"');
    expect(page.text).not.toContain('name="companyId"');
    expect(page.text).toContain('The lead will be assigned to you.');
    ctx.mail.clear();
    const res = await s
      .post('/leads', form({ assigneeId: String(w.colleagueA.id), companyId: String(w.b.id) }))
      .expect(303);
    const lead = await ctx.prisma.lead.findFirstOrThrow();
    expect(res.headers.location).toBe(`/leads/${lead.id}`);
    expect(lead).toMatchObject({
      companyId: w.a.id,
      assigneeId: w.staffA.id,
      createdById: w.staffA.id,
      title: 'Website relaunch',
      source: 'REFERRAL',
      status: 'NEW',
      version: 1,
    });
    expect(String(lead.estimatedValue)).toBe('12500.5');
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead' } });
    expect(audit).toMatchObject({ action: 'create', actorId: w.staffA.id, recordId: String(lead.id) });
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('account manager: picks an active user of the company, who is emailed; others are field errors', async () => {
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/leads/new').expect(200);
    expect(page.text).toContain('name="assigneeId"');
    expect(page.text).toContain('Tia Staff');
    expect(page.text).not.toContain('Bob Manager');
    const outsiders = [String(w.managerB.id), String(w.su.id), '99999'];
    for (const [bad, message] of [
      ...outsiders.map((id) => [id, 'Choose an active user of the company.']),
      ['abc', 'Choose an assignee.'],
      ['', 'Choose an assignee.'],
    ]) {
      const res = await s.post('/leads', form({ assigneeId: bad })).expect(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="Website relaunch"');
    }
    await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { active: false } });
    await s.post('/leads', form({ assigneeId: String(w.colleagueA.id) })).expect(422);
    expect(await ctx.prisma.lead.count()).toBe(0);
    ctx.mail.clear();
    await s.post('/leads', form({ assigneeId: String(w.staffA.id) })).expect(303);
    expect(await ctx.prisma.lead.findFirstOrThrow()).toMatchObject({
      assigneeId: w.staffA.id,
      createdById: w.managerA.id,
    });
    const mail = await ctx.mail.latestTo(w.staffA.email);
    expect(mail.subject).toBe('Lead assigned to you: Website relaunch');
    expect(mail.text).toContain('Ann Manager assigned the lead');
    expect(mail.text).toMatch(/http:\/\/crm\.test\/leads\/\d+/);
  });

  it('superuser: chooses the company first, then assigns within it', async () => {
    const s = await signInAs(ctx, w.su);
    expect((await s.get('/leads/new').expect(200)).text).toContain('Which company is the lead for?');
    const step2 = await s.get(`/leads/new?companyId=${w.b.id}`).expect(200);
    expect(step2.text).toContain('Bob Manager');
    expect(step2.text).not.toContain('Sam Staff');
    await s.post('/leads', form({ companyId: String(w.b.id), assigneeId: String(w.staffA.id) })).expect(422);
    await s.post('/leads', form({ assigneeId: String(w.managerB.id) })).expect(422);
    await s.post('/leads', form({ companyId: String(w.b.id), assigneeId: String(w.managerB.id) })).expect(303);
    expect(await ctx.prisma.lead.findFirstOrThrow()).toMatchObject({ companyId: w.b.id, assigneeId: w.managerB.id });
  });

  it(
    'validates every field (422, messages beside them, ' + 'values kept) and the customer must be of the company',
    async () => {
      const other = await ctx.make.customer(w.b.id);
      const s = await signInAs(ctx, w.staffA);
      const res = await s
        .post(
          '/leads',
          form({
            title: '',
            email: 'nope',
            source: 'TELEPATHY',
            status: 'DONE',
            estimatedValue: '12,500',
            customerId: 'x',
          }),
        )
        .expect(422);
      for (const msg of [
        'Enter the title.',
        'Enter a valid email address.',
        'Choose a source.',
        'Choose a status.',
        'Enter an amount like 12500',
        'Choose a valid customer.',
      ]) {
        expect(res.text).toContain(msg);
      }
      expect(res.text).toContain('value="12,500"');
      expect(res.text).toContain('value="nope"');
      const wrongCustomer = await s.post('/leads', form({ customerId: String(other.id) })).expect(422);
      expect(wrongCustomer.text).toContain('Choose a customer of the company.');
      expect(await ctx.prisma.lead.count()).toBe(0);
      const mine = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
      const prefilled = await s.get(`/leads/new?customerId=${mine.id}`).expect(200);
      expect(prefilled.text).toContain(`<option value="${mine.id}" selected>Kiwi Co`);
      await s.post('/leads', form({ customerId: String(mine.id) })).expect(303);
      expect((await ctx.prisma.lead.findFirstOrThrow()).customerId).toBe(mine.id);
    },
  );

  it('refuses without lead.add (403, no button), without CSRF (403), signed out (401)', async () => {
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const s = await signInAs(ctx, viewer);
    expect((await s.get('/leads').expect(200)).text).not.toContain('New lead');
    await s.get('/leads/new').expect(403);
    await s.post('/leads', form()).expect(403);
    const staff = await signInAs(ctx, w.staffA);
    await staff.agent.post('/leads').type('form').send(form()).expect(403);
    await request(ctx.app).post('/leads').type('form').send(form()).expect(401);
    const anon = await request(ctx.app).get('/leads/new').expect(302);
    expect(anon.headers.location).toBe('/login?next=%2Fleads%2Fnew');
    expect(await ctx.prisma.lead.count()).toBe(0);
  });
});

describe('showing and editing leads', () => {
  it("staff see and edit only leads assigned to them: a colleague's or another company's is 404", async () => {
    const mine = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Mine' });
    const colleague = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague' });
    const foreign = await ctx.make.lead(w.b.id, w.managerB.id, { title: 'Foreign' });
    const s = await signInAs(ctx, w.staffA);
    const show = await s.get(`/leads/${mine.id}`).expect(200);
    expect(show.text).not.toContain('Reassign');
    expect(show.text).not.toContain(`/leads/${mine.id}/delete`);
    for (const l of [colleague, foreign]) {
      await s.get(`/leads/${l.id}`).expect(404);
      await s.get(`/leads/${l.id}/edit`).expect(404);
      await s.post(`/leads/${l.id}`, form({ version: '1' })).expect(404);
      await s.post(`/leads/${l.id}/status`, { status: 'CONTACTED' }).expect(404);
      await s.get(`/leads/${l.id}/convert`).expect(404);
    }
    for (const id of ['abc', '99999999999', '0', '-1']) await s.get(`/leads/${id}`).expect(404);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: colleague.id } })).title).toBe('Colleague');
    const edit = await s.get(`/leads/${mine.id}/edit`).expect(200);
    expect(edit.text).not.toContain('name="assigneeId"');
    await s
      .post(`/leads/${mine.id}`, form({ title: 'Mine, renamed', version: '1', assigneeId: String(w.colleagueA.id) }))
      .expect(303);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      title: 'Mine, renamed',
      assigneeId: w.staffA.id,
      version: 2,
    });
  });

  it('a stale version answers 409 with the newer values and the typed ones; saving again wins', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Original' });
    const s = await signInAs(ctx, w.staffA);
    await s.post(`/leads/${lead.id}`, form({ title: 'Saved first', version: '1' })).expect(303);
    const stale = await s.post(`/leads/${lead.id}`, form({ title: 'Typed second', version: '1' })).expect(409);
    expect(stale.text).toContain('Someone else saved this record');
    expect(stale.text).toContain('Saved first');
    expect(stale.text).toContain('value="Typed second"');
    expect(stale.text).toContain('name="version" value="2"');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).title).toBe('Saved first');
    await s.post(`/leads/${lead.id}`, form({ title: 'Typed second', version: '2' })).expect(303);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).title).toBe('Typed second');
    const bad = await s.post(`/leads/${lead.id}`, form({ title: '', version: '3' })).expect(422);
    expect(bad.text).toContain('Enter the title.');
  });

  it(
    'an account manager reassigns in the edit form: audit ' + '"assign", mail to the new assignee after the commit',
    async () => {
      const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Big deal' });
      const s = await signInAs(ctx, w.managerA);
      ctx.mail.clear();
      await s
        .post(`/leads/${lead.id}`, form({ title: 'Big deal', assigneeId: String(w.colleagueA.id), version: '1' }))
        .expect(303);
      expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).assigneeId).toBe(w.colleagueA.id);
      const mail = await ctx.mail.latestTo(w.colleagueA.email);
      expect(mail.subject).toBe('Lead assigned to you: Big deal');
      const assign = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'assign' } });
      expect(assign.changes).toEqual({ assigneeId: [w.staffA.id, w.colleagueA.id] });
      await s
        .post(`/leads/${lead.id}`, form({ title: 'Big deal', assigneeId: String(w.managerB.id), version: '2' }))
        .expect(422);
      expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).assigneeId).toBe(w.colleagueA.id);
    },
  );

  it('the quick reassignment emails the new assignee; with the mail server away the mail waits', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Quick one' });
    const s = await signInAs(ctx, w.managerA);
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    expect(show.text).toContain(`action="/leads/${lead.id}/assign"`);
    ctx.mail.clear();
    await s.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    expect((await ctx.mail.latestTo(w.colleagueA.email)).subject).toContain('Quick one');
    ctx.mail.refuse = true;
    await s.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.staffA.id) }).expect(303);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).assigneeId).toBe(w.staffA.id);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'assign' } })).toBe(2);
    const after = await s.get(`/leads/${lead.id}`).expect(200);
    expect(after.text).not.toContain('could not be sent');
    ctx.mail.refuse = false;
    expect((await ctx.mail.latestTo(w.staffA.email, 15_000)).subject).toContain('Quick one');
    const bad = await s.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.managerB.id) }).expect(422);
    expect(bad.text).toContain('Choose an active user of the company.');
    const staff = await signInAs(ctx, w.staffA);
    await staff.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(403);
    const b = await signInAs(ctx, w.managerB);
    await b.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.managerB.id) }).expect(404);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).assigneeId).toBe(w.staffA.id);
  });

  it("a superuser edits any company's lead; the assignee must belong to that lead's company", async () => {
    const lead = await ctx.make.lead(w.b.id, w.managerB.id, { title: 'Beta deal' });
    const s = await signInAs(ctx, w.su);
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    expect(show.text).toContain('Beta Ltd');
    const edit = await s.get(`/leads/${lead.id}/edit`).expect(200);
    expect(edit.text).toContain('Bob Manager');
    expect(edit.text).not.toContain('Sam Staff');
    await s
      .post(`/leads/${lead.id}`, form({ title: 'Beta deal', assigneeId: String(w.staffA.id), version: '1' }))
      .expect(422);
    const amB2 = await ctx.make.manager(w.b.id, { name: 'Bea Second' });
    await s
      .post(
        `/leads/${lead.id}`,
        form({ title: 'Beta deal, moved', assigneeId: String(amB2.id), version: '1', companyId: String(w.a.id) }),
      )
      .expect(303);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      title: 'Beta deal, moved',
      assigneeId: amB2.id,
      companyId: w.b.id,
    });
    expect((await ctx.mail.latestTo(amB2.email, 10_000, 'Lead assigned to you: Beta deal, moved')).subject).toBe(
      'Lead assigned to you: Beta deal, moved',
    );
  });

  it('a viewer sees no buttons for what they may not do, and the server refuses it anyway', async () => {
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const lead = await ctx.make.lead(w.a.id, viewer.id, { status: 'NEW' });
    const s = await signInAs(ctx, viewer);
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    for (const hidden of ['/edit"', '/convert"', '/delete"', '/status"', '/assign"'])
      expect(show.text).not.toContain(hidden);
    await s.get(`/leads/${lead.id}/edit`).expect(403);
    await s.post(`/leads/${lead.id}`, form({ version: '1' })).expect(403);
    await s.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.staffA.id) }).expect(403);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      version: 1,
      assigneeId: viewer.id,
    });
  });

  it('deletes with lead.delete only; others get 403 or 404 and nothing changes', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const staff = await signInAs(ctx, w.staffA);
    await staff.post(`/leads/${lead.id}/delete`).expect(403);
    const b = await signInAs(ctx, w.managerB);
    await b.post(`/leads/${lead.id}/delete`).expect(404);
    const a = await signInAs(ctx, w.managerA);
    await a.agent.post(`/leads/${lead.id}/delete`).type('form').send({}).expect(403);
    expect(await ctx.prisma.lead.count()).toBe(1);
    const res = await a.post(`/leads/${lead.id}/delete`).expect(303);
    expect(res.headers.location).toBe('/leads');
    expect(await ctx.prisma.lead.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'delete', model: 'Lead' } })).toBe(1);
    const su = await signInAs(ctx, w.su);
    const other = await ctx.make.lead(w.b.id, w.managerB.id);
    await su.post(`/leads/${other.id}/delete`).expect(303);
    expect(await ctx.prisma.lead.count()).toBe(0);
  });
});
