// A company's pipeline settings: its currency and the win probability of each open stage (issue 14 items 1
// and 2). Its account managers change them on /company/settings; superusers on the company's edit form
// (form.ts), which shares the fields (views/company/_settings.ejs) and the helpers below.
import type { Request, RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { editsCompanySettings } from '../access/policy.ts';
import { CURRENCIES } from '../pipeline/money.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid, typedValues } from '../web/forms.ts';
import { findCompany } from './queries.ts';
import { companySettingsForm, PROBABILITY_FIELDS, SETTINGS_FIELDS } from './schema.ts';
import { updateCompany } from './writes.ts';

const currencyNames = new Intl.DisplayNames('en', { type: 'currency' });
/** The currency select's options: "EUR — Euro", for every code Intl can format (src/pipeline/money.ts). */
export const CURRENCY_OPTIONS: [string, string][] = CURRENCIES.map((c) => [c, `${c} — ${currencyNames.of(c) ?? c}`]);

type Settings = {
  currency: string;
  probabilityNew: number;
  probabilityContacted: number;
  probabilityQualified: number;
  version: number;
};

/** The form's values from the saved company (and any other fields of the form). */
export function savedSettings(c: Settings, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    currency: c.currency,
    ...Object.fromEntries(PROBABILITY_FIELDS.map(([name]) => [name, String(c[name])])),
    version: String(c.version),
  };
}

/** The 409 page's rows of the saved settings. */
export function settingsRows(c: Settings): [string, string][] {
  return [
    ['Currency', c.currency],
    ...PROBABILITY_FIELDS.map(([name, label]): [string, string] => [`${label} probability`, `${c[name]} %`]),
  ];
}

const TITLE = 'Pipeline settings';

function locals(company: { id: number; name: string }, values: Record<string, string>) {
  return {
    title: TITLE,
    company,
    values,
    conflict: null,
    currencies: CURRENCY_OPTIONS,
    probabilities: PROBABILITY_FIELDS,
  };
}

/** The user's own company (account managers only: superusers have none and use the company's edit form). */
async function ownCompany(req: Request, user: CurrentUser) {
  const company = user.companyId === null ? null : await findCompany(req.db, user.companyId);
  if (!company) throw new NotFound();
  return company;
}

export function companySettingsHandlers() {
  /** GET /company/settings — the form; a superuser is sent to the companies, where each has its edit form. */
  const form: RequestHandler = async (req, res) => {
    const user = req.user!;
    if (!editsCompanySettings(user)) return res.redirect(303, '/companies');
    const company = await ownCompany(req, user);
    res.render('company/settings', locals(company, savedSettings(company)));
  };

  /** POST /company/settings — saves the currency and probabilities (422 with the form kept, stale version → 409). */
  const save: RequestHandler = async (req, res) => {
    const user = req.user!;
    if (!editsCompanySettings(user)) return res.redirect(303, '/companies');
    const company = await ownCompany(req, user);
    const values = typedValues(req.body, [...SETTINGS_FIELDS, 'version']);
    const parsed = parseForm(companySettingsForm, req.body);
    if (!parsed.ok) return renderInvalid(res, 'company/settings', locals(company, values), parsed.errors);
    const { version, ...data } = parsed.data;
    const result = await updateCompany(req.db, user, company.id, version, data);
    if (!result.ok) {
      if (!result.current) throw new NotFound();
      const current = result.current;
      return res.status(409).render('company/settings', {
        ...locals(company, { ...values, version: String(current.version) }),
        conflict: settingsRows(current),
      });
    }
    flash(req, 'success', 'Pipeline settings saved: amounts and weighted values use them from now on.');
    res.redirect(303, '/company/settings');
  };

  return { form, save };
}
