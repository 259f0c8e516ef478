// What the tenancy tests share besides the world (tests/helpers/world.ts): a row snapshot to compare
// before and after a refused request, and the redirect check.
import { expect } from 'vitest';
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

export type { World } from '../helpers/world.ts';

/** The suite's world with its default cast (tests/helpers/world.ts). */
export const makeWorld = (ctx: TestContext) => buildWorld(ctx);

/** The row as JSON, to compare before and after a refused request. */
export async function snapshot(read: () => Promise<unknown>): Promise<string> {
  return JSON.stringify(await read(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

export function expectRedirect(res: { status: number; headers: Record<string, string> }, to: string | RegExp) {
  expect(res.status).toBe(303);
  if (typeof to === 'string') expect(res.headers.location).toBe(to);
  else expect(res.headers.location).toMatch(to);
}
