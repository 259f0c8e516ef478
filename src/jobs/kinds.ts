// The kinds of job and their handlers. A new kind (a reminder, a digest) adds its payload type to
// JobPayloads, its name to KIND_NAMES and its handler to jobKinds: the queue creates its queue, works it,
// retries it and lists it on /jobs without more code.
import type { Database } from '../db/client.ts';
import { runImport } from '../import/run.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';

export type JobPayloads = {
  /** One message, sent through the mailer as it is. */
  mail: MailMessage;
  /** A CSV import's rows, written in batches (src/import/run.ts). */
  import: { importId: number };
};
export type JobName = keyof JobPayloads;
export const KIND_NAMES: JobName[] = ['mail', 'import'];

export type JobKind<P> = {
  /** Runs the job; throwing fails this attempt (retried with backoff, then left failed). */
  handle: (payload: P) => Promise<void>;
  /** Deleted once done, not kept as completed: a sent mail's body (codes, set-password links) leaves the database. */
  deleteWhenDone?: boolean;
};
export type JobKinds = { [K in JobName]: JobKind<JobPayloads[K]> };

export function jobKinds(deps: { mailer: Mailer; db: Database }): JobKinds {
  return {
    mail: {
      handle: (m) => deps.mailer.send(m),
      deleteWhenDone: true,
    },
    import: {
      handle: (p) => runImport(deps.db, p.importId),
    },
  };
}

/** What /jobs shows of a stored job: never its body (sign-in codes, invitation links). */
export function describeJob(name: string, data: unknown): string {
  if (name === 'mail' && data && typeof (data as MailMessage).to === 'string') return `to ${(data as MailMessage).to}`;
  if (name === 'import' && data && typeof (data as { importId?: unknown }).importId === 'number')
    return `import #${(data as { importId: number }).importId}`;
  return '';
}
