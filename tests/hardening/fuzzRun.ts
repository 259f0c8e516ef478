// The fuzzer's run: every GET and POST route of the route table, as one role or as a visitor, with
// NUL, CR/LF, control characters, overlong text, invalid UTF-8, odd dates and numbers, repeated
// parameters and malformed ids. No answer may be a 5xx (SPEC section 7: no user input produces a
// 500). The route list and each form's fields come from the app itself, so new routes are fuzzed
// without editing the tests. One test file per role (fuzz.*.test.ts) so they run in parallel.
import request from 'supertest';
import { expect } from 'vitest';
import { createPasswordToken } from '../../src/account/passwordReset.ts';
import type { RouteDef } from '../../src/web/routes.ts';
import type { TestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { signInAs, type Session } from '../helpers/session.ts';
import {
  BAD_IDS,
  BULK_PAYLOADS,
  FIELD_PAYLOADS,
  FORM_PAYLOADS,
  QUERY_PAYLOADS,
  concretePath,
  encodeFields,
  formsOf,
  payloadsFor,
  type ScrapedForm,
} from './fuzzKit.ts';

export async function makeFuzzWorld(ctx: TestContext) {
  const a = await ctx.make.company({ name: 'Alpha Works', slug: 'alpha-works' });
  const b = await ctx.make.company({ name: 'Bravo Trading', slug: 'bravo-trading' });
  const su = await ctx.make.superuser({ email: 'su@service.test' });
  const manager = await ctx.make.manager(a.id, { email: 'manager@alpha.test' });
  const staff = await ctx.make.staff(a.id, { email: 'staff@alpha.test' });
  const colleague = await ctx.make.staff(a.id, { email: 'colleague@alpha.test' });
  await ctx.make.manager(b.id);
  const group = await ctx.make.group(a.id, ['lead.view'], { name: 'Fuzzers' });
  const customer = await ctx.make.customer(a.id, { ownerId: staff.id });
  const lead = await ctx.make.lead(a.id, staff.id, { customerId: customer.id });
  const task = await ctx.make.task(a.id, staff.id, { customerId: customer.id });
  const appointment = await ctx.make.appointment(a.id, [staff.id, colleague.id], { customerId: customer.id });
  const activity = await ctx.make.activity(a.id, staff.id, { leadId: lead.id, customerId: customer.id });
  const ids = {
    companies: a.id,
    users: colleague.id,
    groups: group.id,
    customers: customer.id,
    leads: lead.id,
    tasks: task.id,
    appointments: appointment.id,
    activities: activity.id,
  };
  return { su, manager, staff, ids };
}

/** Query parameters tried on every page besides those of the page's own GET forms. */
const EXTRA_PARAMS = [
  'q',
  'sort',
  'dir',
  'page',
  'perPage',
  'next',
  'companyId',
  'customerId',
  'assigneeId',
  'ownerId',
  'status',
  'date',
  'start',
  'role',
  'attendeeId',
  'when',
  'due',
];

type Check = (what: string, res: { status: number; text?: string }) => void;

export function checker() {
  const failures: string[] = [];
  let requests = 0;
  const check: Check = (what, res) => {
    requests++;
    if (res.status >= 500) failures.push(`${what} → ${res.status}`);
    else if (/ at .+\.(ts|js):\d+|PrismaClient|invalid byte sequence/.test(res.text ?? ''))
      failures.push(`${what} → shows internals`);
  };
  return { failures, check, count: () => requests };
}

/** Routes in an order that keeps the records alive for as long as possible (deletes last). */
const destructiveLast = (routes: RouteDef[]) =>
  [...routes].sort((x, y) => Number(/\/(delete|logout)$/.test(x.path)) - Number(/\/(delete|logout)$/.test(y.path)));

/** Every page and form a signed-in user reaches, fuzzed. */
export async function fuzzSignedIn(ctx: TestContext, s: Session, ids: Record<string, number>, check: Check) {
  const forms = new Map<string, { form: ScrapedForm; page: string }>();
  const remember = (html: string, page: string) => {
    for (const f of formsOf(html, page)) {
      const known = forms.get(f.action);
      if (f.method === 'post' && (!known || known.form.fields.length < f.fields.length))
        forms.set(f.action, { form: f, page });
    }
  };

  for (const route of destructiveLast(ctx.routes.filter((r) => r.method === 'get' && r.access !== 'public'))) {
    const path = concretePath(route, ids);
    if (!path) continue;
    const plain = await s.get(path);
    check(`GET ${path}`, plain);
    if (plain.status !== 200 || !/html/.test(String(plain.headers['content-type']))) continue;
    remember(plain.text, path);
    const params = [
      ...new Set([
        ...formsOf(plain.text, path)
          .filter((f) => f.method === 'get')
          .flatMap((f) => f.fields.map(([n]) => n)),
        ...EXTRA_PARAMS,
      ]),
    ];
    for (const p of QUERY_PAYLOADS) {
      const res = await s.get(`${path}?${params.map((n) => `${n}=${p.raw}`).join('&')}`);
      check(`GET ${path} with every parameter ${p.label}`, res);
    }
    check(
      `GET ${path} with repeated parameters`,
      await s.get(`${path}?${params.map((n) => `${n}=1&${n}=2`).join('&')}`),
    );
    if (route.path.includes(':')) {
      for (const bad of BAD_IDS)
        check(`GET ${route.path} with id ${bad}`, await s.get(route.path.replace(/:\w+/, bad)));
    }
  }

  const posts = destructiveLast(
    ctx.routes.filter((r) => r.method === 'post' && r.access !== 'public' && r.path !== '/logout'),
  );
  for (const route of posts) {
    const path = concretePath(route, ids);
    if (!path) continue;
    let known = forms.get(path);
    const fieldsNow = () =>
      (known?.form.fields ?? [])
        .map(([n, v]): [string, string] => [n, n === '_csrf' ? s.csrf : v])
        .concat(known ? [] : [['_csrf', s.csrf]]);
    const post = async (what: string, body: string) => {
      const res = await s.agent.post(path).type('form').send(body);
      check(`POST ${path} ${what}`, res);
      // A save went through: read the form again for its new version before the next try.
      if (res.status === 303 && known) {
        const page = await s.get(known.page);
        const again = formsOf(page.text, known.page).find((f) => f.action === path);
        if (again) known = { form: again, page: known.page };
      }
    };
    const names = [
      ...new Set(
        fieldsNow()
          .map(([n]) => n)
          .filter((n) => n !== '_csrf'),
      ),
    ];
    for (const name of names) {
      for (const p of payloadsFor(known?.form.types[name] ?? 'text'))
        await post(`${name}=${p.label}`, encodeFields(fieldsNow(), { name, raw: p.raw }));
      const value = fieldsNow().find(([n]) => n === name)?.[1] ?? '';
      await post(`${name} repeated`, encodeFields(fieldsNow(), { name, raw: encodeURIComponent(value), repeat: true }));
    }
    for (const p of FORM_PAYLOADS)
      await post(`every field ${p.label}`, encodeFields(fieldsNow(), { name: '*', raw: p.raw }));
    if (route.path.includes(':')) {
      for (const bad of BAD_IDS)
        check(
          `POST ${route.path} with id ${bad}`,
          await s.agent.post(route.path.replace(/:\w+/, bad)).type('form').send({ _csrf: s.csrf }),
        );
    }
  }
}

/** A page's CSRF token; none on an error page (a used reset link), which the fuzzer then posts without. */
const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The public pages and the sign-in and reset forms, fuzzed as a visitor. */
export async function fuzzVisitor(ctx: TestContext, staff: { id: number; email: string }, check: Check) {
  const fresh = async (path: string) => {
    // Throttles would answer 429 before the input is read; start each try with none counted.
    await ctx.db.pool.query('DELETE FROM rate_limits');
    const agent = request.agent(ctx.app);
    const page = await agent.get(path);
    return { agent, page, csrf: tokenIn(page.text) };
  };
  const link = await createPasswordToken(ctx.prisma, 'http://crm.test', staff.id, 'reset');
  const token = /\/password\/reset\/([^/?#]+)/.exec(link)?.[1];
  expect(token).toBeTruthy();

  for (const route of ctx.routes.filter((r) => r.access === 'public')) {
    const path = route.path.replace(':token', token!);
    if (route.method === 'get') {
      for (const p of QUERY_PAYLOADS)
        check(`GET ${path} ${p.label}`, await request(ctx.app).get(`${path}?next=${p.raw}&q=${p.raw}`));
      continue;
    }
    const source = path === '/login/resend' ? '/login/verify' : path;
    for (const p of [...FIELD_PAYLOADS, ...BULK_PAYLOADS.slice(0, 4)]) {
      const pending = source.startsWith('/login/');
      const { agent, page, csrf } = await fresh(pending ? '/login' : source);
      // A pending sign-in first, so the code form and "send a new code" read their input.
      if (pending)
        await agent.post('/login').type('form').send({ email: staff.email, password: PASSWORD, _csrf: csrf });
      const html = pending ? (await agent.get('/login/verify')).text : page.text;
      const form = formsOf(html, source).find((f) => f.action === path);
      const fields = (form?.fields ?? [['_csrf', '']]).map(([n, v]): [string, string] => [
        n,
        n === '_csrf' ? tokenIn(html) : v,
      ]);
      const names = [...new Set(fields.map(([n]) => n).filter((n) => n !== '_csrf'))];
      for (const name of names)
        check(
          `POST ${path} ${name}=${p.label}`,
          await agent
            .post(path)
            .type('form')
            .send(encodeFields(fields, { name, raw: p.raw })),
        );
      check(
        `POST ${path} every field ${p.label}`,
        await agent
          .post(path)
          .type('form')
          .send(encodeFields(fields, { name: '*', raw: p.raw })),
      );
    }
  }
}

/** One role's whole run: sign in, fuzz every page and form, expect no failure and a signed-in session after. */
export async function fuzzRole(ctx: TestContext, role: 'staff' | 'manager' | 'su') {
  const w = await makeFuzzWorld(ctx);
  const s = await signInAs(ctx, w[role]);
  const { failures, check, count } = checker();
  await fuzzSignedIn(ctx, s, w.ids, check);
  expect(failures).toEqual([]);
  expect(count()).toBeGreaterThan(500);
  // Still signed in: nothing on the way ended the session.
  await s.get('/dashboard').expect(200);
}
