// The reminder tests' shared parts: a sweep at a chosen instant on the test's database and queue, and the mails
// that reached the real SMTP server.
import { sweepReminders } from '../../src/reminder/sweep.ts';
import type { TestContext } from '../helpers/context.ts';

export const at = (iso: string) => new Date(iso);

/** One sweep at `iso` (the clock is the sweep's parameter). */
export const sweepAt = (ctx: TestContext, iso: string) =>
  sweepReminders({ client: ctx.prisma, jobs: ctx.jobs, appUrl: 'http://crm.test' }, at(iso));

/** Waits until `n` mails arrived (the queue's worker sends them), then a little more for any duplicate. */
export async function mailsAfter(ctx: TestContext, n: number, settleMs = 1200) {
  const deadline = Date.now() + 10_000;
  while (ctx.mail.messages.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, settleMs));
  return ctx.mail.messages;
}
