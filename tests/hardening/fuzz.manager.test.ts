// Fuzzing every route as the manager (see fuzzRun.ts): no request answers 5xx or shows internals.
import { expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { checker, fuzzSignedIn, makeFuzzWorld } from './fuzzRun.ts';

const ctx = useTestContext();

it('no request of the manager answers 5xx or shows internals', async () => {
  const w = await makeFuzzWorld(ctx);
  const s = await signIn(ctx, w.manager);
  const { failures, check, count } = checker();
  await fuzzSignedIn(ctx, s, w.ids, check);
  expect(failures).toEqual([]);
  expect(count()).toBeGreaterThan(500);
  // Still signed in: nothing on the way ended the session.
  await s.get('/dashboard').expect(200);
}, 600_000);
