// The API's route table, as data like the pages' (src/web/routes.ts): each line says its access rule (the same
// permissions) and, for an `:id`, the same loader the pages use (src/loaders.ts: out of scope → 404). The API
// access sweep (tests/api/sweep.test.ts), the fuzzer, the statement counts and the OpenAPI document walk this
// table, so a new line is covered without editing them. Each resource's lines are in src/api/routes/; within one,
// a DELETE comes last (the sweep walks the table in order, and a delete ends the record).
import { activitiesRoutes } from './routes/activities.ts';
import { appointmentRoutes } from './routes/appointments.ts';
import { customersRoutes } from './routes/customers.ts';
import { leadsRoutes } from './routes/leads.ts';
import { peopleRoutes } from './routes/people.ts';
import { tasksRoutes } from './routes/tasks.ts';
import { apiRoute, type ApiRouteDef } from './route.ts';
import { me, meApiSchema } from './me.ts';

export type { ApiMethod, ApiRouteDef } from './route.ts';

/** Paths are under /api. */
export const API_ROUTES: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/me',
    'signedIn',
    { summary: 'Who the token acts as', ok: { status: 200, schema: meApiSchema } },
    me,
  ),
  ...customersRoutes,
  ...leadsRoutes,
  ...tasksRoutes,
  ...appointmentRoutes(),
  ...activitiesRoutes,
  ...peopleRoutes,
];
