// The company forms (superusers only): new, create, edit, update, deactivate and reactivate.
// Companies are never hard-deleted. The list and the company's page are in handlers.ts.
import type { RequestHandler, Response } from 'express';
import { isUniqueViolation } from '../db/errors.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid, typedValues } from '../web/forms.ts';
import { DEFAULT_CURRENCY } from '../pipeline/money.ts';
import { COMPANY_FIELDS, companyForm, companyUpdateForm, PROBABILITY_FIELDS, SETTINGS_FIELDS } from './schema.ts';
import { CURRENCY_OPTIONS, savedSettings, settingsRows } from './settings.ts';
import { createCompany, endCompanySessions, setCompanyActive, updateCompany } from './writes.ts';

const SLUG_TAKEN = { slug: 'Another company already uses this slug. Choose another.' };

const editLocals = (company: { id: number; name: string }, values: Record<string, string>) => ({
  title: `Edit ${company.name}`,
  company,
  values,
  conflict: null,
  currencies: CURRENCY_OPTIONS,
  probabilities: PROBABILITY_FIELDS,
});

export function companyFormHandlers(deps: AppDeps) {
  /** GET /companies/new — the new-company form. */
  const newForm: RequestHandler = (_req, res) => {
    res.render('company/new', {
      title: 'New company',
      values: { name: '', slug: '', currency: DEFAULT_CURRENCY },
      currencies: CURRENCY_OPTIONS,
    });
  };

  /** POST /companies — creates the company and its default "Staff" group. */
  const create: RequestHandler = async (req, res) => {
    const values = typedValues(req.body, COMPANY_FIELDS);
    const locals = { title: 'New company', values, currencies: CURRENCY_OPTIONS };
    const parsed = parseForm(companyForm, req.body);
    if (!parsed.ok) return renderInvalid(res, 'company/new', locals, parsed.errors);
    try {
      const company = await createCompany(req.db, req.user!, parsed.data);
      flash(
        req,
        'success',
        `Company "${company.name}" created with its "Staff" group. Now add its first account manager.`,
      );
      res.redirect(303, `/companies/${company.id}`);
    } catch (err) {
      if (isUniqueViolation(err)) return renderInvalid(res, 'company/new', locals, SLUG_TAKEN);
      throw err;
    }
  };

  function renderEdit(
    res: Response,
    company: { id: number; name: string },
    values: Record<string, string>,
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    res.status(status).render('company/edit', { ...editLocals(company, values), ...extra });
  }

  /** GET /companies/:id/edit — the edit form. */
  const edit: RequestHandler = async (req, res) => {
    const company = load.company.of(req);
    renderEdit(res, company, savedSettings(company, { name: company.name, slug: company.slug }));
  };

  /** POST /companies/:id — saves name and slug (optimistic locking on version). */
  const update: RequestHandler = async (req, res) => {
    const company = load.company.of(req);
    const values = typedValues(req.body, [...COMPANY_FIELDS, ...SETTINGS_FIELDS, 'version']);
    const parsed = parseForm(companyUpdateForm, req.body);
    if (!parsed.ok) return renderInvalid(res, 'company/edit', editLocals(company, values), parsed.errors);
    const { version, ...data } = parsed.data;
    let result: Awaited<ReturnType<typeof updateCompany>>;
    try {
      result = await updateCompany(req.db, req.user!, company.id, version, data);
    } catch (err) {
      if (isUniqueViolation(err)) return renderInvalid(res, 'company/edit', editLocals(company, values), SLUG_TAKEN);
      throw err;
    }
    if (!result.ok) {
      if (!result.current) throw new NotFound();
      const c = result.current;
      return renderEdit(res, company, { ...values, version: String(c.version) }, 409, {
        conflict: [['Name', c.name], ['Slug', c.slug], ['Active', c.active ? 'yes' : 'no'], ...settingsRows(c)],
      });
    }
    flash(req, 'success', 'Company saved.');
    res.redirect(303, `/companies/${company.id}`);
  };

  /** GET /companies/:id/delete — asks before deactivating. */
  const confirmDeactivate: RequestHandler = async (req, res) => {
    const company = load.company.of(req);
    res.render('company/confirm-delete', { title: `Deactivate ${company.name}`, company });
  };

  /** POST /companies/:id/delete — deactivates (never deletes): its users are signed out and cannot sign in. */
  const deactivate: RequestHandler = async (req, res) => {
    const company = load.company.of(req);
    const changed = await setCompanyActive(req.db, req.user!, company.id, false);
    if (changed) await endCompanySessions(deps.db.pool, company.id);
    flash(
      req,
      'success',
      changed
        ? `Company "${company.name}" is deactivated; its users are signed out and cannot sign in.`
        : 'The company was already inactive.',
    );
    res.redirect(303, `/companies/${company.id}`);
  };

  /** POST /companies/:id/reactivate — lets its active users sign in again. */
  const reactivate: RequestHandler = async (req, res) => {
    const company = load.company.of(req);
    const changed = await setCompanyActive(req.db, req.user!, company.id, true);
    flash(req, 'success', changed ? `Company "${company.name}" is active again.` : 'The company was already active.');
    res.redirect(303, `/companies/${company.id}`);
  };

  return { newForm, create, edit, update, confirmDeactivate, deactivate, reactivate };
}
