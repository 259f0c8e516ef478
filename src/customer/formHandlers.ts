// Customer create and edit forms, with optimistic locking on update.
import { belongsToCompany, choosesCompany } from '../access/policy.ts';
import type { RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { changedFields, recordAudit } from '../audit/record.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid, type FieldErrors } from '../web/forms.ts';
import { formCompany, renderCompanyChoice, type FormCompany } from '../company/choices.ts';
import { loadCustomer, ownerOptions, ownerProblem, type LoadedCustomer } from './queries.ts';
import { CUSTOMER_FIELDS, customerCreateForm, customerUpdateForm, typedValues } from './schema.ts';

const CUSTOMER_STEP = { action: '/customers/new', noun: 'customer' };

export const CUSTOMER_AUDIT_FIELDS = ['name', 'email', 'phone', 'organisation', 'address', 'notes', 'ownerId'];

/** The first step of a superuser's new form (src/company/choices.ts; kept here for the lead form's import). */
export { renderCompanyChoice };

/** The saved values shown by partials/conflict.ejs above a 409 form. */
export function customerConflictValues(c: LoadedCustomer) {
  return [['Name', c.name], ['Email', c.email], ['Phone', c.phone], ['Organisation', c.organisation], ['Address', c.address],
    ['Notes', c.notes], ['Owner', c.owner?.name ?? '']];
}

function blankValues(user: CurrentUser): Record<string, string> {
  const values = typedValues({}, CUSTOMER_FIELDS);
  // Owner defaults to the creator when the creator is a company user.
  if (belongsToCompany(user)) values.ownerId = String(user.id);
  return values;
}

export function customerFormHandlers(deps: AppDeps) {
  /** GET /customers/new — the form (superusers first choose the company). */
  const newForm: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const company = await formCompany(scoped, user, req.query.companyId);
    if (!company) {
      const named = req.query.companyId !== undefined;
      return renderCompanyChoice(res, scoped, { ...CUSTOMER_STEP, error: named ? 'Choose an active company.' : null });
    }
    const owners = await ownerOptions(scoped, company.id);
    res.render('customer/new', { title: 'New customer', company, values: blankValues(user), owners });
  };

  /** POST /customers — creates the customer in the user's (or the chosen) company. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const company: FormCompany | null = await formCompany(scoped, user, req.body?.companyId);
    if (!company) return renderCompanyChoice(res, scoped, { ...CUSTOMER_STEP, error: 'Choose an active company.' });
    const parsed = parseForm(customerCreateForm(choosesCompany(user)), req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok) {
      const problem = await ownerProblem(scoped, company.id, parsed.data.ownerId);
      if (problem) errors.ownerId = problem;
    }
    if (!parsed.ok || Object.keys(errors).length) {
      const owners = await ownerOptions(scoped, company.id);
      return renderInvalid(res, 'customer/new', { title: 'New customer', company, values: typedValues(req.body, CUSTOMER_FIELDS), owners }, errors);
    }
    const { name, email, phone, organisation, address, notes, ownerId } = parsed.data;
    const created = await scoped.$transaction(async (tx) => {
      const c = await tx.customer.create({ data: { companyId: company.id, name, email, phone, organisation, address, notes, ownerId } });
      await recordAudit(tx, user, { action: 'create', model: 'Customer', recordId: c.id, companyId: c.companyId, changes: changedFields(null, c, CUSTOMER_AUDIT_FIELDS) });
      return c;
    });
    flash(req, 'success', `Customer "${created.name}" created.`);
    res.redirect(303, `/customers/${created.id}`);
  };

  /** GET /customers/:id/edit — the form with the saved values and version. */
  const edit: RequestHandler = async (req, res) => {
    const scoped = req.db;
    const customer = load.customer.of(req);
    const values = {
      name: customer.name, email: customer.email, phone: customer.phone, organisation: customer.organisation,
      address: customer.address, notes: customer.notes, ownerId: customer.ownerId ? String(customer.ownerId) : '', version: String(customer.version),
    };
    res.render('customer/edit', { title: `Edit ${customer.name}`, customer, values, owners: await ownerOptions(scoped, customer.companyId, customer.owner) });
  };

  /** POST /customers/:id — saves the edit; a stale version answers 409 with both versions shown. */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const customer = load.customer.of(req);
    const values = { ...typedValues(req.body, CUSTOMER_FIELDS), version: typedValues(req.body, ['version']).version };
    const parsed = parseForm(customerUpdateForm, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok) {
      const problem = await ownerProblem(scoped, customer.companyId, parsed.data.ownerId, customer.ownerId);
      if (problem) errors.ownerId = problem;
    }
    const locals = { title: `Edit ${customer.name}`, customer, values, owners: await ownerOptions(scoped, customer.companyId, customer.owner) };
    if (!parsed.ok || Object.keys(errors).length) return renderInvalid(res, 'customer/edit', locals, errors);
    const { version, ...data } = parsed.data;
    const saved = await scoped.$transaction(async (tx) => {
      const { count } = await tx.customer.updateMany({ where: { id: customer.id, version }, data: { ...data, version: { increment: 1 } } });
      if (count === 0) return null;
      await recordAudit(tx, user, { action: 'update', model: 'Customer', recordId: customer.id, companyId: customer.companyId, changes: changedFields(customer, data, CUSTOMER_AUDIT_FIELDS) });
      return true;
    });
    if (!saved) {
      const current = await loadCustomer(scoped, customer.id);
      if (!current) throw new NotFound();
      return res.status(409).render('customer/edit', {
        ...locals, customer: current, values: { ...values, version: String(current.version) }, conflict: customerConflictValues(current),
        owners: await ownerOptions(scoped, current.companyId, current.owner),
      });
    }
    flash(req, 'success', `Customer "${data.name}" saved.`);
    res.redirect(303, `/customers/${customer.id}`);
  };

  return { newForm, create, edit, update };
}
