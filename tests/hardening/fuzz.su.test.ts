// Fuzzing every route as the su (see fuzzRun.ts): no request answers 5xx or shows internals.
// One file per role, so the runs go in parallel.
import { it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fuzzRole } from './fuzzRun.ts';

const ctx = useTestContext();

it('no request of the su answers 5xx or shows internals', () => fuzzRole(ctx, 'su'), 1_200_000);
