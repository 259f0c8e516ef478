// The API's leads: the list answers exactly the caller's scope (staff: their own leads; an account manager: the
// company's) in the page's order, with its filters; one lead shows its amount as a decimal string in the company's
// currency and its close date as a date. Statement counts: the token, the limit, the read.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const get = (path: string, token: string) =>
  request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

async function allIds(path: string, token: string) {
  const ids: number[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await get(`${path}${next ? `${sep}cursor=${next}` : ''}`, token).expect(200);
    ids.push(...res.body.data.map((l: { id: number }) => l.id));
    next = res.body.next;
  } while (next);
  return ids;
}

describe('API leads', () => {
  it("lists the caller's scope in the page's order, with the status filter", async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 12; i++)
      await ctx.make.lead(w.a.id, i % 2 ? w.staffA.id : w.colleagueA.id, {
        title: `Lead ${i}`,
        status: i % 3 ? 'NEW' : 'QUALIFIED',
      });
    await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Other company' });
    const order = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
    const expected = async (where: object) =>
      (await ctx.prisma.lead.findMany({ where, orderBy: order, select: { id: true } })).map((l) => l.id);
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    expect(await allIds('/leads?limit=5', manager)).toEqual(await expected({ companyId: w.a.id }));
    expect(await allIds('/leads?limit=5', staff)).toEqual(await expected({ assigneeId: w.staffA.id }));
    expect(await allIds('/leads?status=QUALIFIED', manager)).toEqual(
      await expected({ companyId: w.a.id, status: 'QUALIFIED' }),
    );
    // Staff cannot widen their list with an assignee filter: it is not read.
    expect(await allIds(`/leads?assigneeId=${w.colleagueA.id}`, staff)).toEqual(
      await expected({ assigneeId: w.staffA.id }),
    );
  });

  it('one lead: amount, currency and close date; three statements', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, {
      title: 'Big deal',
      estimatedValue: '12500.5',
      expectedCloseDate: new Date('2027-03-31T00:00:00Z'),
    });
    const token = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    await get(`/leads/${lead.id}`, token).expect(200);
    const { result, statements } = await recordStatements(ctx.db.pool).during(() => get(`/leads/${lead.id}`, token));
    expect(result.status).toBe(200);
    expect(result.headers.etag).toBe(`"${lead.version}"`);
    const company = await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } });
    expect(result.body).toMatchObject({
      id: lead.id,
      title: 'Big deal',
      estimatedValue: '12500.50',
      currency: company.currency,
      expectedCloseDate: '2027-03-31',
      assignee: { id: w.staffA.id },
      customer: null,
    });
    expect(statements).toHaveLength(3);
    // A colleague's lead does not exist for staff.
    const other = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Not mine' });
    const refused = await get(`/leads/${other.id}`, token).expect(404);
    expect(refused.text).not.toContain('Not mine');
  });
});
