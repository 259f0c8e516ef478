// The API's users and groups, read-only, for those who manage them on the pages (user.manage, group.manage):
// account managers their company's, superusers every company's, staff 403, another company's 404. A user's answer
// holds exactly the schema's keys: never a password hash, a code, a calendar feed or a reset token.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { groupApiSchema, groupDetailApiSchema } from '../../src/api/groups.ts';
import { userApiSchema } from '../../src/api/users.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const get = (path: string, token: string) =>
  request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

async function allRows(path: string, token: string) {
  const rows: { id: number; name: string; companyId: number }[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await get(`${path}${next ? `${sep}cursor=${next}` : ''}`, token).expect(200);
    rows.push(...res.body.data);
    next = res.body.next;
  } while (next);
  return rows;
}

describe('API users', () => {
  it("lists the company's users with the page's filters and sorts; superusers every company's", async () => {
    const w = await buildWorld(ctx);
    const sales = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Sales' });
    await ctx.prisma.groupMember.create({ data: { groupId: sales.id, userId: w.colleagueA.id } });
    await ctx.make.staff(w.a.id, { name: 'Olga Gone', active: false });
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const rows = await allRows('/users?limit=2', manager);
    for (const r of rows) userApiSchema.parse(r);
    const expected = await ctx.prisma.user.findMany({
      where: { companyId: w.a.id },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    expect(rows.map((r) => r.id)).toEqual(expected.map((u) => u.id));
    const names = async (q: string) => (await allRows(`/users?${q}`, manager)).map((r) => r.name);
    expect(await names('status=inactive')).toEqual(['Olga Gone']);
    expect(await names('role=ACCOUNT_MANAGER')).toEqual([w.managerA.name]);
    expect(await names(`groupId=${sales.id}`)).toEqual([w.colleagueA.name]);
    expect(await names('q=steve')).toEqual([w.staffA.name]);
    expect(await names('sort=email&dir=desc')).toEqual(
      [...expected].sort((a, b) => b.email.localeCompare(a.email)).map((u) => u.name),
    );
    // companyId is a superuser's filter only: a manager's list is their company's whatever is sent.
    expect((await allRows(`/users?companyId=${w.b.id}`, manager)).map((r) => r.id)).toEqual(expected.map((u) => u.id));
    const su = await makeToken(await w.as(w.su), { name: 'SU', access: 'READ' });
    const everyone = await allRows('/users?limit=100', su);
    expect(new Set(everyone.map((r) => r.companyId))).toEqual(new Set([w.a.id, w.b.id]));
    expect(everyone.map((r) => r.id)).not.toContain(w.su.id);
    expect((await allRows(`/users?companyId=${w.b.id}`, su)).map((r) => r.id).sort()).toEqual(
      [w.managerB.id, w.staffB.id].sort(),
    );
  });

  it("one user: exactly the schema's keys, nothing secret; staff 403, another company's 404", async () => {
    const w = await buildWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { lastSignInAt: new Date() } });
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const res = await get(`/users/${w.staffA.id}`, manager).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(userApiSchema.shape).sort());
    expect(userApiSchema.parse(res.body)).toMatchObject({
      id: w.staffA.id,
      email: w.staffA.email,
      role: 'STAFF',
      active: true,
      groups: [{ name: 'Staff' }],
    });
    const recorder = recordStatements(ctx.db.pool);
    const counted: number[][] = [];
    for (const path of [`/users/${w.staffA.id}`, '/users?limit=100', '/groups?limit=100']) {
      const { result, statements } = await recorder.during(() => get(path, manager));
      counted.push([result.status, statements.length]);
    }
    expect(counted).toEqual([
      [200, 3],
      [200, 3],
      [200, 3],
    ]);
    const secret = await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } });
    expect(res.text).not.toContain(secret.passwordHash!.slice(10, 40));
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    await get('/users', staff).expect(403);
    await get(`/users/${w.staffA.id}`, staff).expect(403);
    const managerB = await makeToken(await w.as(w.managerB), { name: 'B', access: 'READ' });
    const hidden = await get(`/users/${w.staffA.id}`, managerB).expect(404);
    expect(hidden.text).not.toContain(w.staffA.email);
    // Superusers are not among the users managed here.
    await get(`/users/${w.su.id}`, manager).expect(404);
    const su = await makeToken(await w.as(w.su), { name: 'SU', access: 'READ' });
    await get(`/users/${w.su.id}`, su).expect(404);
    await get(`/users/${w.staffB.id}`, su).expect(200);
  });
});

describe('API groups', () => {
  it('lists and reads groups with their permissions and members; staff 403, another company 404', async () => {
    const w = await buildWorld(ctx);
    const sales = await ctx.make.group(w.a.id, ['lead.view', 'customer.view'], { name: 'Sales' });
    await ctx.prisma.groupMember.create({ data: { groupId: sales.id, userId: w.colleagueA.id } });
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const list = await get('/groups?sort=members&dir=desc', manager).expect(200);
    for (const g of list.body.data) groupApiSchema.parse(g);
    expect(list.body.data.map((g: { name: string; memberCount: number }) => [g.name, g.memberCount])).toEqual([
      ['Staff', 2],
      ['Sales', 1],
    ]);
    expect((await get('/groups?q=sal', manager).expect(200)).body.data).toHaveLength(1);
    const one = await get(`/groups/${sales.id}`, manager).expect(200);
    expect(groupDetailApiSchema.parse(one.body)).toEqual({
      id: sales.id,
      companyId: w.a.id,
      name: 'Sales',
      permissions: ['customer.view', 'lead.view'],
      memberCount: 1,
      members: [{ id: w.colleagueA.id, name: w.colleagueA.name }],
      createdAt: sales.createdAt.toISOString(),
    });
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    await get('/groups', staff).expect(403);
    await get(`/groups/${sales.id}`, staff).expect(403);
    const managerB = await makeToken(await w.as(w.managerB), { name: 'B', access: 'READ' });
    expect((await get(`/groups/${sales.id}`, managerB).expect(404)).text).not.toContain('Sales');
    expect((await get('/groups', managerB).expect(200)).body.data.map((g: { name: string }) => g.name)).toEqual([
      'Staff',
    ]);
    const su = await makeToken(await w.as(w.su), { name: 'SU', access: 'READ' });
    expect((await allRows(`/groups?companyId=${w.b.id}`, su)).map((g) => g.companyId)).toEqual([w.b.id]);
  });
});
