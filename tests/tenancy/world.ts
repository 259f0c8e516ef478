// Two companies, each with an account manager and staff, plus a superuser: the cast of the
// tenancy tests. Sessions are signed in on demand (each sign-in reads its code from the mail).
import { expect } from 'vitest';
import type { TestContext } from '../helpers/context.ts';
import { signIn, type Session } from '../helpers/session.ts';

export async function makeWorld(ctx: TestContext) {
  const a = await ctx.make.company({ name: 'Alpha Works', slug: 'alpha-works' });
  const b = await ctx.make.company({ name: 'Bravo Trading', slug: 'bravo-trading' });
  const su = await ctx.make.superuser({ name: 'Sam Super', email: 'sam@service.test' });
  const managerA = await ctx.make.manager(a.id, { name: 'Maria Alpha', email: 'maria@alpha.test' });
  const staffA = await ctx.make.staff(a.id, { name: 'Steve Alpha', email: 'steve@alpha.test' });
  const colleagueA = await ctx.make.staff(a.id, { name: 'Carla Alpha', email: 'carla@alpha.test' });
  const managerB = await ctx.make.manager(b.id, { name: 'Mike Bravo', email: 'mike@bravo.test' });
  const staffB = await ctx.make.staff(b.id, { name: 'Sue Bravo', email: 'sue@bravo.test' });
  const sessions = new Map<number, Session>();
  const as = async (user: { id: number; email: string }) => {
    let s = sessions.get(user.id);
    if (!s) sessions.set(user.id, (s = await signIn(ctx, user)));
    return s;
  };
  return { a, b, su, managerA, staffA, colleagueA, managerB, staffB, as };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

/** The row as JSON, to compare before and after a refused request. */
export async function snapshot(read: () => Promise<unknown>): Promise<string> {
  return JSON.stringify(await read(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

/** The value of a hidden or text input in a page. */
export function inputValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m?.[1];
}

export function expectRedirect(res: { status: number; headers: Record<string, string> }, to: string | RegExp) {
  expect(res.status).toBe(303);
  if (typeof to === 'string') expect(res.headers.location).toBe(to);
  else expect(res.headers.location).toMatch(to);
}
