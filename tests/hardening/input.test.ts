// Control characters where input enters (issue 10, item 1): NUL in any form field is that field's
// 422 message, in a query string a 400; CR/LF in single-line fields is refused, in notes kept.
// Each refusal re-reads the database: nothing was written, nothing changed.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { csrfFrom, signInAs } from '../helpers/session.ts';
import { makeWorld, type World } from '../customer/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const NUL_MESSAGE = 'Remove the invisible control character (such as a NUL byte) from this field.';
const lead = (o: Record<string, string> = {}) => ({
  title: 'Big deal',
  contactName: 'Ada',
  email: '',
  phone: '',
  organisation: '',
  source: 'WEBSITE',
  status: 'NEW',
  estimatedValue: '',
  notes: '',
  customerId: '',
  ...o,
});

describe('forms', () => {
  it(
    'a NUL byte in a lead field answers 422 beside that ' + 'field, keeps the other values, and writes nothing',
    async () => {
      const s = await signInAs(ctx, w.staffA);
      for (const name of ['title', 'contactName', 'organisation', 'notes']) {
        const res = await s.post('/leads', lead({ [name]: 'Acme\u0000Corp', email: 'ada@acme.test' })).expect(422);
        expect(res.text).toContain(`id="f-${name}-error"`);
        expect(res.text).toContain(NUL_MESSAGE);
        expect(res.text).toContain('value="ada@acme.test"');
      }
      expect(await ctx.prisma.lead.count()).toBe(0);
    },
  );

  it('on update the same: 422, and the row keeps its values and version', async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Acme', organisation: 'Acme Group' });
    const s = await signInAs(ctx, w.managerA);
    const form = {
      name: 'Acme',
      email: '',
      phone: '',
      organisation: 'Acme\u0000Group',
      address: '',
      notes: '',
      ownerId: '',
      version: '1',
    };
    const res = await s.post(`/customers/${c.id}`, form).expect(422);
    expect(res.text).toContain(NUL_MESSAGE);
    expect(await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      organisation: 'Acme Group',
      version: 1,
    });
  });

  it('CR/LF in a single-line field is refused ("Keep this on one line."), in a multi-line one it is kept', async () => {
    const s = await signInAs(ctx, w.staffA);
    const task = {
      title: 'X\r\nBcc: someone@else.test',
      description: '',
      customerId: '',
      dueAt: '',
      priority: 'NORMAL',
      status: 'OPEN',
    };
    const res = await s.post('/tasks', task).expect(422);
    expect(res.text).toContain('Keep this on one line.');
    expect(await ctx.prisma.task.count()).toBe(0);
    for (const name of ['organisation', 'contactName']) {
      const r = await s.post('/leads', lead({ [name]: 'One\nTwo' })).expect(422);
      expect(r.text).toContain('Keep this on one line.');
    }
    await s.post('/tasks', { ...task, title: 'Call back', description: 'Line one\r\nLine two' }).expect(303);
    expect(await ctx.prisma.task.findFirstOrThrow()).toMatchObject({
      title: 'Call back',
      description: 'Line one\r\nLine two',
    });
  });

  it(
    'the sign-in form: a NUL in the email is a 422 beside ' + 'it; no code is mailed, no throttle row is written',
    async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login').expect(200);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: `${w.staffA.email}\u0000`, password: 'x', _csrf: csrfFrom(page.text) })
        .expect(422);
      expect(res.text).toContain(NUL_MESSAGE);
      expect(res.text).toContain('id="f-email-error"');
      expect((await ctx.db.pool.query('SELECT count(*)::int AS n FROM rate_limits')).rows[0].n).toBe(0);
      expect(ctx.mail.messages).toHaveLength(0);
    },
  );
});

describe('query strings', () => {
  it(
    'a NUL or a line break in any parameter of lists, exports, ' +
      'the convert search and the audit filters answers 400',
    async () => {
      const l = await ctx.make.lead(w.a.id, w.staffA.id);
      const s = await signInAs(ctx, w.managerA);
      const paths = [
        '/leads?q=',
        '/leads/export.csv?q=',
        '/customers?q=',
        '/customers/export.csv?q=',
        '/tasks?q=',
        '/tasks/export.csv?q=',
        '/appointments?q=',
        '/appointments/export.csv?q=',
        `/leads/${l.id}/convert?q=`,
        '/audit?model=',
        '/audit?action=',
        '/users?q=',
        '/groups?q=',
      ];
      for (const p of paths) {
        const res = await s.get(`${p}%00`);
        expect(res.status, p).toBe(400);
        expect(res.text).toContain('holds a character that is not allowed');
        expect((await s.get(`${p}a%0d%0ab`)).status, p).toBe(400);
      }
      // The same lists with a plain search still answer.
      await s.get('/leads?q=Lead').expect(200);
      await s.get('/audit?model=Lead').expect(200);
    },
  );
});
