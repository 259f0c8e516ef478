// Lead conversion (SPEC section 5): to a new customer prefilled from the lead, or to an existing
// customer of the lead's company. The lead becomes won, in one transaction with the customer.
import type { Request, RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { can, describePermission } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { CUSTOMER_FIELDS, customerViewHelpers } from '../customer/fields.ts';
import { ownerOptions } from '../customer/queries.ts';
import { postedValues } from '../fields/form.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { Forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, typedValues, type FieldErrors } from '../web/forms.ts';
import { searchWhere } from '../web/list.ts';
import { type DuplicateMatch, findDuplicates } from '../duplicate/detect.ts';
import { phoneCountryOf } from '../duplicate/keys.ts';
import { leadViewHelpers } from './handlers.ts';
import { customerOfCompany, type LoadedLead } from './queries.ts';
import { alreadyConverted, checkConvertNewCustomer, convertPrefill } from './conversion.ts';
import { convertExistingForm, convertModeForm } from './schema.ts';
import { convertLead, type ConvertTarget } from './writes.ts';

const PICK_LIMIT = 20;

/** Customers to pick from: the search results, or (no search yet) likely matches of the lead, else the newest. */
async function pickableCustomers(scoped: ScopedClient, user: CurrentUser, lead: LoadedLead, q: string) {
  const select = { id: true, name: true, organisation: true, email: true } as const;
  const base = { companyId: lead.companyId };
  if (q)
    return {
      searched: true,
      likely: 0,
      rows: await scoped.customer.findMany({
        where: { AND: [base, searchWhere(q, ['name', 'email', 'organisation', 'phone'])!] },
        select,
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: PICK_LIMIT,
      }),
    };
  // Likely matches (the forms' detection: same email, same phone, similar name, or here a similar organisation),
  // best first; without any, the newest customers.
  const likely = await findDuplicates(scoped, user, 'customer', customerCandidate(lead), {
    phoneCountry: phoneCountryOf(lead.company.currency),
    limit: PICK_LIMIT,
    byOrganisation: true,
  });
  if (likely.length) return { searched: false, likely: likely.length, rows: likely };
  const newest = await scoped.customer.findMany({
    where: base,
    select,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: PICK_LIMIT,
  });
  return { searched: false, likely: 0, rows: newest.map((c) => ({ ...c, because: '' })) };
}

/** What the lead says of its customer, compared with the company's customers. */
const customerCandidate = (lead: LoadedLead) => ({
  companyId: lead.companyId,
  name: lead.contactName || lead.organisation || lead.title,
  email: lead.email,
  phone: lead.phone,
  organisation: lead.organisation,
});

async function renderConvert(
  req: Request,
  res: Response,
  scoped: ScopedClient,
  user: CurrentUser,
  lead: LoadedLead,
  opts: {
    values?: Record<string, string>;
    errors?: FieldErrors;
    pickedId?: string;
    duplicates?: DuplicateMatch[];
  } = {},
) {
  const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
  const [owners, pick] = await Promise.all([
    can(user, 'customer.add') ? ownerOptions(scoped, lead.companyId) : Promise.resolve([]),
    can(user, 'customer.view')
      ? pickableCustomers(scoped, user, lead, q)
      : Promise.resolve({ searched: false, likely: 0, rows: [] }),
  ]);
  res.status(opts.errors || opts.duplicates ? 422 : 200).render('lead/convert', {
    title: `Convert ${lead.title}`,
    lead,
    owners,
    pick,
    q,
    values: opts.values ?? convertPrefill(lead),
    pickedId: opts.pickedId ?? '',
    duplicates: opts.duplicates ?? [],
    fieldErrors: opts.errors ?? {},
    ...leadViewHelpers,
    ...customerViewHelpers,
  });
}

export function leadConvertHandlers(deps: AppDeps) {
  /** GET /leads/:id/convert — the choice: a new customer (prefilled) or an existing one. */
  const form: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    if (lead.convertedAt) throw alreadyConverted(lead);
    await renderConvert(req, res, scoped, user, lead);
  };

  /** POST /leads/:id/convert — converts; the customer, the won lead and the audit entries commit together. */
  const convert: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    if (lead.convertedAt) throw alreadyConverted(lead);
    const mode = parseForm(convertModeForm, req.body);
    if (!mode.ok) return renderConvert(req, res, scoped, user, lead, { errors: mode.errors });
    let to: ConvertTarget;
    if (mode.data.mode === 'new') {
      if (!can(user, 'customer.add')) throw new Forbidden(describePermission('customer.add'));
      const check = await checkConvertNewCustomer(scoped, user, lead, req.body, req.body);
      if (!check.ok) {
        const { errors, duplicates } = check;
        const values = postedValues(CUSTOMER_FIELDS, req.body);
        return renderConvert(
          req,
          res,
          scoped,
          user,
          lead,
          duplicates.length ? { values, duplicates } : { values, errors },
        );
      }
      to = check.target;
    } else {
      if (!can(user, 'customer.view')) throw new Forbidden(describePermission('customer.view'));
      const parsed = parseForm(convertExistingForm, req.body);
      const picked = parsed.ok ? await customerOfCompany(scoped, lead.companyId, parsed.data.customerId) : null;
      if (!picked) {
        const errors = parsed.ok ? { customerId: "Choose a customer of this lead's company." } : parsed.errors;
        return renderConvert(req, res, scoped, user, lead, {
          errors,
          pickedId: typedValues(req.body, ['customerId']).customerId,
        });
      }
      to = { existingId: picked.id };
    }
    const customer = await convertLead(scoped, user, lead, to);
    flash(req, 'success', `Lead "${lead.title}" converted: it is won, and linked to the customer "${customer.name}".`);
    res.redirect(303, can(user, 'customer.view') ? `/customers/${customer.id}` : `/leads/${lead.id}`);
  };

  return { form, convert };
}
