// /jobs — the job queue for superusers: failed and waiting jobs (kind, created, attempts, last error; never
// a mail's body, which may carry a code or a link) and a "Retry" button for a failed one.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { JOB_QUEUE_READERS } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm } from '../web/forms.ts';
import { listHref, paginate, parseListQuery } from '../web/list.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { jobListSpec, listJobs } from './queries.ts';

const retryForm = z.object({
  id: z.uuid('Not a job of this queue.'),
  /** The list the button was on (its query string), to go back to. */
  back: z.string().max(500).optional(),
});

export function jobRoutes(deps: AppDeps): RouteDef[] {
  /** GET /jobs — failed and waiting jobs, newest first, filtered by state. */
  const list: RequestHandler = async (req, res) => {
    const query = parseListQuery(req.query, jobListSpec);
    const { rows, total } = await listJobs(deps.jobs, query);
    res.render('jobs/index', {
      title: 'Job queue',
      jobs: rows,
      query,
      back: listHref('/jobs', query),
      pagination: paginate('/jobs', query, total),
    });
  };

  /** POST /jobs/retry — puts a failed job back in line; 303 to the list. */
  const retry: RequestHandler = async (req, res) => {
    const parsed = parseForm(retryForm, req.body);
    if (!parsed.ok) throw new NotFound('This job does not exist.');
    const ok = await deps.jobs.retry(parsed.data.id);
    flash(req, ok ? 'success' : 'info', ok ? 'The job will run again shortly.' : 'That job is no longer failed.');
    const back = parsed.data.back;
    // Only the list itself is followed back to, never another address.
    res.redirect(303, back && /^\/jobs(\?[\w=&%.-]*)?$/.test(back) ? back : '/jobs');
  };

  return [
    route('get', '/jobs', { roles: JOB_QUEUE_READERS }, list),
    route('post', '/jobs/retry', { roles: JOB_QUEUE_READERS }, retry),
  ];
}
