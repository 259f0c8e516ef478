// Deleting any record goes through a confirmation page, the same for all six record types
// (customers, leads, tasks, appointments, users, groups): the record's page links to
// GET /x/:id/delete, which deletes nothing and is refused like the delete itself (another
// company's id: 404, no delete permission: 403); its form POSTs /x/:id/delete with the CSRF token.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { csrfFrom, first, postForm, text, texts } from '../helpers/html.ts';
import { makeWorld, snapshot, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

type Kind = {
  /** The path segment: /x/:id. */
  x: string;
  /** A record of company A, owned by staffA where records have an owner. */
  make: () => Promise<{ id: number }>;
  /** The row (and what hangs off it) as it is now. */
  read: (id: number) => Promise<unknown>;
  /** True once the POST did its work (deleted, or for users deactivated). */
  done: (id: number) => Promise<boolean>;
  audit: { model: string; action: string };
  redirect: (id: number) => string;
  button: string;
  /** The permission staffA lacks (named in the 403 page). */
  permission: string;
};

const p = () => ctx.prisma;
const KINDS: Kind[] = [
  {
    x: 'customers',
    make: () => ctx.make.customer(w.a.id, { name: 'Kiwi Co', ownerId: w.staffA.id }),
    read: (id) => p().customer.findUnique({ where: { id } }),
    done: async (id) => !(await p().customer.findUnique({ where: { id } })),
    audit: { model: 'Customer', action: 'delete' },
    redirect: () => '/customers',
    button: 'Delete',
    permission: 'customer.delete',
  },
  {
    x: 'leads',
    make: () => ctx.make.lead(w.a.id, w.staffA.id, { title: 'Kiwi lead' }),
    read: (id) => p().lead.findUnique({ where: { id } }),
    done: async (id) => !(await p().lead.findUnique({ where: { id } })),
    audit: { model: 'Lead', action: 'delete' },
    redirect: () => '/leads',
    button: 'Delete',
    permission: 'lead.delete',
  },
  {
    x: 'tasks',
    make: () => ctx.make.task(w.a.id, w.staffA.id, { title: 'Kiwi task' }),
    read: (id) => p().task.findUnique({ where: { id } }),
    done: async (id) => !(await p().task.findUnique({ where: { id } })),
    audit: { model: 'Task', action: 'delete' },
    redirect: () => '/tasks',
    button: 'Delete',
    permission: 'task.delete',
  },
  {
    x: 'appointments',
    make: () => ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Kiwi meeting' }),
    read: (id) => p().appointment.findUnique({ where: { id }, include: { attendees: true } }),
    done: async (id) => !(await p().appointment.findUnique({ where: { id } })),
    audit: { model: 'Appointment', action: 'delete' },
    redirect: () => '/appointments',
    button: 'Delete',
    permission: 'appointment.delete',
  },
  {
    x: 'users',
    make: () => ctx.make.staff(w.a.id, { name: 'Kiwi Person' }),
    read: (id) => p().user.findUnique({ where: { id }, include: { memberships: true } }),
    done: async (id) => (await p().user.findUniqueOrThrow({ where: { id } })).active === false,
    audit: { model: 'User', action: 'deactivate' },
    redirect: (id) => `/users/${id}`,
    button: 'Deactivate',
    permission: 'user.manage',
  },
  {
    x: 'groups',
    make: async () => {
      const group = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Kiwi circle' });
      await p().groupMember.create({ data: { groupId: group.id, userId: w.staffA.id } });
      return group;
    },
    read: (id) => p().group.findUnique({ where: { id }, include: { members: true } }),
    done: async (id) => !(await p().group.findUnique({ where: { id } })),
    audit: { model: 'Group', action: 'delete' },
    redirect: () => '/groups',
    button: 'Delete',
    permission: 'group.manage',
  },
];

describe.each(KINDS)('deleting $x', (kind) => {
  it(
    "the record's Delete control leads to a confirmation page " +
      'that deletes nothing; its form POSTs the delete, audited',
    async () => {
      const record = await kind.make();
      const path = `/${kind.x}/${record.id}`;
      const before = await snapshot(() => kind.read(record.id));
      const s = await w.as(w.managerA);

      const show = await s.get(path).expect(200);
      expect(show.text).toMatch(new RegExp(`<a [^>]*href="${path}/delete"[^>]*>${kind.button}</a>`));
      expect(postForm(show.text, `${path}/delete`)).toBeUndefined();

      const confirm = await s.get(`${path}/delete`).expect(200);
      expect(await snapshot(() => kind.read(record.id))).toBe(before);
      expect(await ctx.prisma.auditEntry.count()).toBe(0);
      const form = postForm(confirm.text, `${path}/delete`);
      expect(form).toBeDefined();
      expect(first(form!, 'input[type="hidden"][name="_csrf"]')?.attribs.value).toMatch(/^.+$/);
      expect(texts(form!, 'button')).toContain(kind.button);
      expect(text(form!, `a[href="${path}"]`)).toBe('Cancel');

      // Without the token the POST is refused and nothing changes.
      await s.agent.post(`${path}/delete`).type('form').send({}).expect(403);
      expect(await snapshot(() => kind.read(record.id))).toBe(before);

      // The confirmation page's own form, as a browser sends it.
      const res = await s.agent
        .post(`${path}/delete`)
        .type('form')
        .send({ _csrf: csrfFrom(form!) })
        .expect(303);
      expect(res.headers.location).toBe(kind.redirect(record.id));
      expect(await kind.done(record.id)).toBe(true);
      const audit = await ctx.prisma.auditEntry.findMany({
        where: { model: kind.audit.model, recordId: String(record.id) },
      });
      expect(audit).toMatchObject([{ action: kind.audit.action, actorId: w.managerA.id, companyId: w.a.id }]);
    },
  );

  it(
    'the confirmation page and the POST answer 404 to another ' +
      'company, 403 without the permission; nothing changes',
    async () => {
      const record = await kind.make();
      const path = `/${kind.x}/${record.id}`;
      const before = await snapshot(() => kind.read(record.id));
      const other = await w.as(w.managerB);
      const denied = await w.as(w.staffA);

      const hidden = await other.get(`${path}/delete`).expect(404);
      expect(hidden.text).not.toContain('Kiwi');
      await other.post(`${path}/delete`).expect(404);
      const show = await denied.get(path);
      expect(show.text).not.toContain(`${path}/delete`);
      const refused = await denied.get(`${path}/delete`).expect(403);
      expect(refused.text).toContain(kind.permission);
      await denied.post(`${path}/delete`).expect(403);

      expect(await snapshot(() => kind.read(record.id))).toBe(before);
      expect(await ctx.prisma.auditEntry.count()).toBe(0);
    },
  );
});
