// Mail through the queue: enqueued in the write's transaction (a rolled-back change sends nothing), sent
// by the worker, kept and retried with backoff while the mail server refuses, never sent twice.
import { describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import { rawSqlIn } from '../../src/db/client.ts';
import { createTask } from '../../src/task/writes.ts';
import { Forbidden } from '../../src/web/errors.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();

const message = (to: string, subject = 'Hello') => ({ to, subject, text: 'Body', html: '<p>Body</p>' });
const jobCount = async (where = "name = 'mail'") =>
  (await ctx.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE ${where}`)).rows[0].n as number;

/** Waits until `check` is true, polling; fails at the deadline. */
async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the outbox', () => {
  it('a rolled-back write leaves no job and sends nothing; a committed one is sent once', async () => {
    const w = await buildWorld(ctx);
    const manager = (await loadCurrentUser(ctx.prisma, w.managerA.id))!;
    const db = scope(ctx.prisma, manager);
    const task = { title: 'Rolled back', description: '', customerId: null, dueAt: null } as const;
    const input = { ...task, priority: 'NORMAL', status: 'OPEN' } as unknown as Parameters<typeof createTask>[3];
    await expect(
      createTask(db, manager, w.a.id, input, w.staffA.id, async (tx) => {
        await ctx.jobs.enqueue('mail', message('rollback@x.test'), { tx });
        throw new Error('the write fails after its enqueue');
      }),
    ).rejects.toThrow('the write fails');
    expect(await ctx.prisma.task.count()).toBe(0);
    expect(await jobCount()).toBe(0);
    await createTask(db, manager, w.a.id, { ...input, title: 'Kept' }, w.staffA.id, (tx) =>
      ctx.jobs.enqueue('mail', message('commit@x.test', 'Kept'), { tx }),
    );
    expect((await ctx.mail.latestTo('commit@x.test', 10_000, 'Kept')).subject).toBe('Kept');
    // The rolled-back one never arrives (the committed one, enqueued later, already did).
    expect(ctx.mail.messages.filter((m) => m.to.includes('rollback@x.test'))).toHaveLength(0);
    expect(ctx.mail.messages.filter((m) => m.to.includes('commit@x.test'))).toHaveLength(1);
    // A sent mail's body (links, codes) does not stay in the database.
    await until(async () => (await jobCount()) === 0);
  });

  it('raw SQL stays refused on the scoped client outside the queue’s own insert', async () => {
    const w = await buildWorld(ctx);
    const db = scope(ctx.prisma, w.staffA);
    await expect(db.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'))).rejects.toBeInstanceOf(Forbidden);
    // Inside the named escape it runs, in the transaction.
    const rows = await db.$transaction((tx) => rawSqlIn('job queue', async () => await tx.$queryRawUnsafe('SELECT 1')));
    expect(rows).toHaveLength(1);
  });
});

describe('with the mail server down', () => {
  it('five leads assigned while it refuses: pages as usual; all five arrive once it is back, none twice', async () => {
    const w = await buildWorld(ctx);
    const leads = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => ctx.make.lead(w.a.id, w.staffA.id, { title: `Queued lead ${n}` })),
    );
    const m = await w.as(w.managerA);
    ctx.mail.clear();
    ctx.mail.refuse = true;
    for (const lead of leads) {
      const started = Date.now();
      const res = await m.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
      // The page does not wait for the mail server.
      expect(Date.now() - started).toBeLessThan(2000);
      const page = await m.get(res.headers.location).expect(200);
      expect(page.text).toContain('assigned to Carla Alpha');
      expect(page.text).not.toContain('could not be sent');
    }
    // Each was tried and refused, and waits for its retry.
    await until(async () => (await jobCount("name = 'mail' AND state = 'retry'")) === 5);
    expect(ctx.mail.messages).toHaveLength(0);
    ctx.mail.refuse = false;
    await until(async () => ctx.mail.messages.length >= 5);
    // A little longer than a poll: a duplicate would have arrived by now.
    await new Promise((r) => setTimeout(r, 1200));
    const subjects = ctx.mail.messages.map((x) => x.subject).sort();
    expect(subjects).toEqual(leads.map((l) => `Lead assigned to you: ${l.title}`).sort());
    expect(ctx.mail.messages.every((x) => x.to.includes(w.colleagueA.email))).toBe(true);
  });
});
