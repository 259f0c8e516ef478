// Customer create and edit forms, with optimistic locking on update.
import type { RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid, type FieldErrors } from '../web/forms.ts';
import { belongsToCompany } from '../access/policy.ts';
import { formCompany, renderCompanyChoice, type FormCompany } from '../company/choices.ts';
import { blankValues, conflictRows, postedValues, savedValues } from '../fields/form.ts';
import { CUSTOMER_FIELDS, customerViewHelpers } from './fields.ts';
import { type DuplicateMatch, formDuplicates } from '../duplicate/detect.ts';
import { findCustomer, ownerOptions, ownerProblem } from './queries.ts';
import { customerForms } from './schema.ts';
import { createCustomer, updateCustomer } from './writes.ts';

const CUSTOMER_STEP = { action: '/customers/new', noun: 'customer' };

function newValues(user: CurrentUser): Record<string, string> {
  const values = blankValues(CUSTOMER_FIELDS);
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
    res.render('customer/new', {
      title: 'New customer',
      company,
      values: newValues(user),
      owners,
      ...customerViewHelpers,
    });
  };

  /** POST /customers — creates the customer in the user's (or the chosen) company. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const company: FormCompany | null = await formCompany(scoped, user, req.body?.companyId);
    if (!company) return renderCompanyChoice(res, scoped, { ...CUSTOMER_STEP, error: 'Choose an active company.' });
    const parsed = parseForm(customerForms.create(user), req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok) {
      const problem = await ownerProblem(scoped, company.id, parsed.data.ownerId);
      if (problem) errors.ownerId = problem;
    }
    // The form again: 422 with what was typed, and the matches when it may repeat a customer ("Save anyway").
    const again = async (extra: { duplicates?: DuplicateMatch[] } = {}) => {
      const owners = await ownerOptions(scoped, company.id);
      const locals = { title: 'New customer', company, values: postedValues(CUSTOMER_FIELDS, req.body), owners };
      return renderInvalid(res, 'customer/new', { ...locals, ...extra, ...customerViewHelpers }, errors);
    };
    if (!parsed.ok || Object.keys(errors).length) return again();
    const candidate = { ...parsed.data, companyId: company.id };
    const duplicates = await formDuplicates(scoped, user, 'customer', req.body, candidate, company);
    if (duplicates.length) return again({ duplicates });
    const created = await createCustomer(scoped, user, company.id, parsed.data);
    flash(req, 'success', `Customer "${created.name}" created.`);
    res.redirect(303, `/customers/${created.id}`);
  };

  /** GET /customers/:id/edit — the form with the saved values and version. */
  const edit: RequestHandler = async (req, res) => {
    const scoped = req.db;
    const customer = load.customer.of(req);
    const values = savedValues(CUSTOMER_FIELDS, customer);
    const owners = await ownerOptions(scoped, customer.companyId, customer.owner);
    res.render('customer/edit', { title: `Edit ${customer.name}`, customer, values, owners, ...customerViewHelpers });
  };

  /** POST /customers/:id — saves the edit; a stale version answers 409 with both versions shown. */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const customer = load.customer.of(req);
    const values = postedValues(CUSTOMER_FIELDS, req.body);
    const parsed = parseForm(customerForms.update(user), req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok) {
      const problem = await ownerProblem(scoped, customer.companyId, parsed.data.ownerId, customer.ownerId);
      if (problem) errors.ownerId = problem;
    }
    const owners = await ownerOptions(scoped, customer.companyId, customer.owner);
    const locals = { title: `Edit ${customer.name}`, customer, values, owners, ...customerViewHelpers };
    if (!parsed.ok || Object.keys(errors).length) return renderInvalid(res, 'customer/edit', locals, errors);
    const { version, ...data } = parsed.data;
    const duplicates = await formDuplicates(
      scoped,
      user,
      'customer',
      req.body,
      { ...data, companyId: customer.companyId },
      { currency: customer.company.currency, excludeId: customer.id },
    );
    if (duplicates.length) return res.status(422).render('customer/edit', { ...locals, duplicates });
    const saved = await updateCustomer(scoped, user, customer, version, data);
    if (!saved) {
      const current = await findCustomer(scoped, customer.id);
      if (!current) throw new NotFound();
      return res.status(409).render('customer/edit', {
        ...locals,
        customer: current,
        values: { ...values, version: String(current.version) },
        conflict: conflictRows(CUSTOMER_FIELDS, current),
        owners: await ownerOptions(scoped, current.companyId, current.owner),
      });
    }
    flash(req, 'success', `Customer "${data.name}" saved.`);
    res.redirect(303, `/customers/${customer.id}`);
  };

  return { newForm, create, edit, update };
}
