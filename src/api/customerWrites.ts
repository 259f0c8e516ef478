// The API's customer writes: create, partial update and delete, with the forms' own schemas (from the field
// descriptors, through src/fields/json.ts), the same owner check, and the same writes (src/customer/writes.ts:
// the change and its audit entry, which names the token, in one transaction).
import type { RequestHandler, Response } from 'express';
import { choosesCompany } from '../access/policy.ts';
import { formCompany } from '../company/choices.ts';
import { changedFields } from '../audit/record.ts';
import { CUSTOMER_AUDIT, CUSTOMER_FIELDS } from '../customer/fields.ts';
import { findCustomer, ownerProblem } from '../customer/queries.ts';
import { customerForms } from '../customer/schema.ts';
import { createCustomer, deleteCustomer, updateCustomer } from '../customer/writes.ts';
import { blankValues, savedValues } from '../fields/form.ts';
import { jsonFormValues } from '../fields/json.ts';
import { load } from '../loaders.ts';
import { Conflict, NotFound } from '../web/errors.ts';
import { parseForm } from '../web/forms.ts';
import { refuseRepeated } from '../web/input.ts';
import { presentCustomer } from './customers.ts';
import { ApiInvalid } from './problem.ts';
import { expectedVersion, staleVersion } from './version.ts';

function sendCustomer(res: Response, status: number, c: NonNullable<Awaited<ReturnType<typeof findCustomer>>>) {
  res.status(status).set('ETag', `"${c.version}"`).json(presentCustomer(c));
}

/** POST /api/v1/customers — a superuser names the company with `companyId`. */
export const createCustomerApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const { values, errors } = jsonFormValues(CUSTOMER_FIELDS, user, req.body, blankValues(CUSTOMER_FIELDS), [
    'companyId',
  ]);
  const company = await formCompany(req.db, user, (req.body as { companyId?: unknown } | undefined)?.companyId);
  if (!company) errors.companyId = choosesCompany(user) ? 'Name an active company by its id.' : 'Unexpected.';
  const parsed = parseForm(customerForms.create(user), values);
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  if (parsed.ok && company) {
    const problem = await ownerProblem(req.db, company.id, parsed.data.ownerId);
    if (problem) errors.ownerId = problem;
  }
  if (Object.keys(errors).length || !parsed.ok || !company) throw new ApiInvalid(errors);
  const created = await createCustomer(req.db, user, company.id, parsed.data);
  const fresh = await findCustomer(req.db, created.id);
  res.location(`/api/v1/customers/${created.id}`);
  sendCustomer(res, 201, fresh!);
};

/** PATCH /api/v1/customers/:id — the fields sent change; the others keep their saved values. */
export const updateCustomerApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const customer = load.customer.of(req);
  const expected = expectedVersion(req, customer.version);
  const { version } = expected;
  const { values, errors } = jsonFormValues(CUSTOMER_FIELDS, user, req.body, savedValues(CUSTOMER_FIELDS, customer), [
    'version',
  ]);
  const parsed = parseForm(customerForms.update(user), { ...values, version: String(version) });
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  if (parsed.ok) {
    const problem = await ownerProblem(req.db, customer.companyId, parsed.data.ownerId, customer.ownerId);
    if (problem) errors.ownerId = problem;
  }
  if (Object.keys(errors).length || !parsed.ok) throw new ApiInvalid(errors);
  const { version: _v, ...data } = parsed.data;
  if (version !== customer.version) throw staleVersion('customer', expected);
  // Nothing to change: answered as saved, without a new version or an empty audit entry.
  if (!Object.keys(changedFields(customer, data, CUSTOMER_AUDIT.names)).length) return sendCustomer(res, 200, customer);
  if (!(await updateCustomer(req.db, user, customer, version, data))) throw staleVersion('customer', expected);
  const fresh = await findCustomer(req.db, customer.id);
  if (!fresh) throw new NotFound();
  sendCustomer(res, 200, fresh);
};

/** DELETE /api/v1/customers/:id[?detach=true] — refused (409) while records point at it, unless detached. */
export const deleteCustomerApi: RequestHandler = async (req, res) => {
  const customer = load.customer.of(req);
  // Given twice, it is a 400 (SECURITY.md: repeated parameters), not read as absent.
  refuseRepeated(req.query, ['detach']);
  const detach = req.query.detach === 'true';
  const outcome = await deleteCustomer(req.db, req.user!, customer.id, detach);
  if (!outcome.deleted)
    throw new Conflict(
      outcome.refused === 'related'
        ? 'Leads, tasks or appointments point at this customer: delete with ?detach=true to keep them without it.'
        : 'Records you cannot see, or attached meanwhile, point at this customer: it cannot be deleted now.',
    );
  res.status(204).end();
};
