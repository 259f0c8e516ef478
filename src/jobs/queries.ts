// The /jobs page's reads of pg-boss's table (schema "pgboss"), on the queue's own connection: jobs are not
// company records (no scope applies; the page is for superusers only). Two statements, whatever the page.
import type { ListQuery, ListSpec } from '../web/list.ts';
import { describeJob } from './kinds.ts';
import { JOB_SCHEMA, type JobQueue } from './queue.ts';

export const jobListSpec: ListSpec<'created', 'state'> = {
  sorts: ['created'],
  defaultSort: 'created',
  defaultDir: 'desc',
  filters: { state: ['failed', 'waiting'] },
};

export type JobRow = {
  id: string;
  kind: string;
  /** Who or what it is for (a mail's recipient), never its body. */
  about: string;
  state: 'failed' | 'waiting' | 'retrying' | 'running';
  createdAt: Date;
  /** The next try (waiting or retrying), null otherwise. */
  startAfter: Date | null;
  attempts: number;
  retryLimit: number;
  lastError: string | null;
};

const STATES: Record<string, string[]> = {
  failed: ['failed'],
  waiting: ['created', 'retry', 'active'],
};
const LABELS: Record<string, JobRow['state']> = {
  failed: 'failed',
  created: 'waiting',
  retry: 'retrying',
  active: 'running',
};

/** Failed and waiting jobs, newest first (or oldest), a page of them, and how many there are. */
export async function listJobs(jobs: JobQueue, query: ListQuery<'created', 'state'>) {
  const states = query.filters.state ? STATES[query.filters.state] : [...STATES.failed, ...STATES.waiting];
  const order = query.dir === 'asc' ? 'ASC' : 'DESC';
  const [page, count] = await Promise.all([
    jobs.sql(
      // The data column is read only for describeJob (a recipient); bodies never reach the page.
      `SELECT id, name, state, created_on, start_after, retry_count, retry_limit,
              COALESCE(output->>'message', output->'value'->>'message') AS error, data->>'to' AS to
         FROM ${JOB_SCHEMA}.job WHERE state = ANY($1::${JOB_SCHEMA}.job_state[])
        ORDER BY created_on ${order}, id LIMIT $2 OFFSET $3`,
      [states, query.perPage, (query.page - 1) * query.perPage],
    ),
    jobs.sql(`SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE state = ANY($1::${JOB_SCHEMA}.job_state[])`, [
      states,
    ]),
  ]);
  const rows: JobRow[] = page.rows.map((r) => {
    const state = LABELS[String(r.state)] ?? 'waiting';
    const attempts = Number(r.retry_count) + (r.state === 'failed' || r.state === 'retry' ? 1 : 0);
    return {
      id: String(r.id),
      kind: String(r.name),
      about: describeJob(String(r.name), { to: r.to }),
      state,
      createdAt: r.created_on as Date,
      startAfter: state === 'waiting' || state === 'retrying' ? (r.start_after as Date) : null,
      attempts,
      retryLimit: Number(r.retry_limit),
      lastError: typeof r.error === 'string' ? r.error.slice(0, 300) : null,
    };
  });
  return { rows, total: Number(count.rows[0]?.n ?? 0) };
}
