// The person filter of the task, appointment, customer and activity lists from the figure cache
// (personFilterOptions in src/web/listFilters.ts): a repeat visit reads it no more, a change of a person (through the
// app or by raw SQL) shows on the next visit, and each company and role keeps its own entry.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { coldAndWarmStatements, recordStatements } from '../helpers/statements.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const LISTS = ['/tasks', '/appointments', '/customers', '/activities'] as const;
/** The lists whose filter names active people only. */
const ACTIVE_ONLY = new Set(['/tasks', '/appointments']);

/** The names in a page's person filter (its options, but the "anyone" one). */
function filterNames(html: string): string[] {
  const select = /<select[^>]*name="(?:assigneeId|attendeeId|ownerId|authorId)"[^>]*>([\s\S]*?)<\/select>/.exec(html);
  if (!select) throw new Error('no person filter on the page');
  return [...select[1].matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) =>
    m[2].replace(/ \((me|inactive)\)$/, '').trim(),
  );
}

describe('the person filter from the figure cache', () => {
  it('is read on a cold visit and not on a repeat one, for each list', async () => {
    const recorder = recordStatements(ctx.db.pool);
    const manager = await signInAs(ctx, w.managerA);
    await manager.get('/profile').expect(200);
    for (const path of LISTS) {
      const [cold, warm] = await coldAndWarmStatements(ctx.db.pool, recorder, () => manager.get(path).expect(200));
      expect(cold - warm, path).toBe(1);
    }
    // A superuser's chosen company is not theirs to key by: read on every visit.
    const su = await signInAs(ctx, w.su);
    await su.get('/profile').expect(200);
    const [cold, warm] = await coldAndWarmStatements(ctx.db.pool, recorder, () =>
      su.get(`/tasks?companyId=${w.a.id}`).expect(200),
    );
    expect(warm).toBe(cold);
  });

  it('shows a rename and a deactivation on the next visit; never another company’s people', async () => {
    const managerA = await signInAs(ctx, w.managerA);
    const managerB = await signInAs(ctx, w.managerB);
    const names = async (s: typeof managerA, path: string) => filterNames((await s.get(path).expect(200)).text);
    for (const path of LISTS) {
      expect(await names(managerA, path), path).toContain(w.colleagueA.name);
      expect(await names(managerB, path), path).not.toContain(w.colleagueA.name);
      expect(await names(managerB, path), path).toContain(w.managerB.name);
    }
    // Renamed by raw SQL, outside the app.
    await ctx.db.pool.query(`UPDATE "User" SET "name" = 'Renamed Colleague' WHERE "id" = $1`, [w.colleagueA.id]);
    for (const path of LISTS) {
      const seen = await names(managerA, path);
      expect(seen, path).toContain('Renamed Colleague');
      expect(seen, path).not.toContain(w.colleagueA.name);
      expect(await names(managerB, path), path).not.toContain('Renamed Colleague');
    }
    // Deactivated through the app: gone from the filters of active people, kept where old rows may name them.
    await managerA.post(`/users/${w.colleagueA.id}/delete`).expect(303);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.colleagueA.id } })).active).toBe(false);
    for (const path of LISTS) {
      const seen = await names(managerA, path);
      if (ACTIVE_ONLY.has(path)) expect(seen, path).not.toContain('Renamed Colleague');
      else expect(seen, path).toContain('Renamed Colleague');
    }
  });
});
