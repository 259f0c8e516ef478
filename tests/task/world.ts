// What the task and appointment tests share: the suite's world (tests/helpers/world.ts) with the
// names their pages are checked for, and a task form builder.
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

/** The cast's names in the task and appointment tests. */
export const TASK_CAST = {
  a: { name: 'Acme' },
  b: { name: 'Bolt' },
  su: { name: 'Sue Super' },
  managerA: { name: 'Mona Manager' },
  staffA: { name: 'Sam Staff' },
  colleagueA: { name: 'Tess Colleague' },
  managerB: { name: 'Boris Bolt' },
  staffB: { name: 'Bea Bolt' },
};

export const taskWorld = (ctx: TestContext) => buildWorld(ctx, TASK_CAST);

/** A complete task form; override what the test is about. */
export function taskForm(o: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Call back',
    description: '',
    customerId: '',
    assigneeId: '',
    dueAt: '',
    priority: 'NORMAL',
    status: 'OPEN',
    ...o,
  };
}
