// Fuzzing the public pages and the sign-in and reset forms as a visitor (see fuzzRun.ts).
import { expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { checker, fuzzVisitor, makeFuzzWorld } from './fuzzRun.ts';

const ctx = useTestContext();

it('no request of a visitor answers 5xx or shows internals', async () => {
  const w = await makeFuzzWorld(ctx);
  const { failures, check, count } = checker();
  await fuzzVisitor(ctx, w.staff, check);
  expect(failures).toEqual([]);
  expect(count()).toBeGreaterThan(50);
}, 1_200_000);
