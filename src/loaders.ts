// Every record domain's route loaders, in one place and one naming pattern: load.<record> puts the
// record of `:id` on the request (see src/web/loader.ts); a route line names what it loads, e.g.
// route('post', '/leads/:id', 'lead.change', load.lead, f.update), and the handler reads
// load.lead.of(req). Each fetch is one statement through the scoped client (relations join in).
import { canManageUser } from './access/policy.ts';
import { findActivity } from './activity/queries.ts';
import { findAppointment } from './appointment/queries.ts';
import { findCompany, findCompanyPage } from './company/queries.ts';
import { customerRelations, findCustomer } from './customer/queries.ts';
import { findGroup } from './group/queries.ts';
import { findImport } from './import/queries.ts';
import { findLead } from './lead/queries.ts';
import { findTask } from './task/queries.ts';
import { findToken } from './token/queries.ts';
import { findUser } from './user/queries.ts';
import { loader } from './web/loader.ts';
import { findWebhook } from './webhook/queries.ts';

export const load = {
  activity: loader('activity', findActivity),
  /** An API token the user may revoke: their own; an account manager's company's. */
  apiToken: loader('apiToken', findToken),
  appointment: loader('appointment', findAppointment),
  company: loader('company', findCompany),
  /** The company with, for superusers, its account managers (its page). */
  companyPage: loader('companyPage', findCompanyPage),
  /** The customer with its owner and company (its page, edit form; its timeline is read by src/timeline). */
  customer: loader('customer', findCustomer, { merged: 'Customer' }),
  /** The customer with the counts of what points at it (the delete pages). */
  customerRelations: loader('customerRelations', customerRelations, { merged: 'Customer' }),
  group: loader('group', findGroup),
  /** An import (without its stored file): the company's for account managers, their own for staff. */
  import: loader('import', findImport),
  /** A webhook endpoint of the user's company. */
  webhook: loader('webhook', findWebhook),
  lead: loader('lead', findLead, { merged: 'Lead' }),
  task: loader('task', findTask),
  /** A user the signed-in user may manage (others: 404, as if missing). */
  user: loader('user', async (db, id, actor) => {
    const target = await findUser(db, id);
    return target && canManageUser(actor, target) ? target : null;
  }),
};
