// The transactional outbox: what a write enqueues (its mail, later its reminders) runs inside the write's
// transaction, after its rows, through deps.jobs.enqueue(…, { tx }). A rolled-back change leaves no job, and
// a mail server that is down slows no page: the worker sends, and retries.
import type { ScopedTx } from '../access/scope.ts';

/** Called by a writes.ts function inside its transaction with what it saved. */
export type Outbox<T = void> = (tx: ScopedTx, saved: T) => Promise<unknown>;
