// Company forms and list query (SPEC section 5: name, unique slug, active flag).
import { z } from 'zod';
import { field } from '../fields/kinds.ts';
import { isCurrency } from '../pipeline/money.ts';
import type { ListSpec } from '../web/list.ts';

/** A slug from a name: lower-case ASCII letters, digits and single hyphens. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export const COMPANY_FIELDS = ['name', 'slug', 'currency'] as const;

/** The win probabilities an account manager sets (Won is always 100 %, Lost 0 %), in the form's order. */
export const PROBABILITY_FIELDS = [
  ['probabilityNew', 'New'],
  ['probabilityContacted', 'Contacted'],
  ['probabilityQualified', 'Qualified'],
] as const;
/** The pipeline settings' form fields: the currency and the three probabilities. */
export const SETTINGS_FIELDS = ['currency', ...PROBABILITY_FIELDS.map(([name]) => name)] as const;

const CURRENCY_MESSAGE = 'Choose a currency from the list.';
const currencyField = () =>
  z.preprocess((v) => v ?? '', z.string({ error: CURRENCY_MESSAGE }).refine(isCurrency, CURRENCY_MESSAGE));

const PROBABILITY_MESSAGE = 'Enter a whole number from 0 to 100.';
const probabilityField = () =>
  z.preprocess(
    (v) => v ?? '',
    z
      .string({ error: PROBABILITY_MESSAGE })
      .trim()
      .regex(/^\d{1,3}$/, PROBABILITY_MESSAGE)
      .transform(Number)
      .refine((n) => n <= 100, PROBABILITY_MESSAGE),
  );

/** The pipeline settings (an account manager's /company/settings, and a superuser's edit form). */
const settingsShape = {
  currency: currencyField(),
  probabilityNew: probabilityField(),
  probabilityContacted: probabilityField(),
  probabilityQualified: probabilityField(),
};
export const companySettingsForm = z.object({ ...settingsShape, version: field.version() });
export type CompanySettings = Omit<z.output<typeof companySettingsForm>, 'version'>;

const slugField = () =>
  z.preprocess(
    (v) => v ?? '',
    z
      .string({ error: 'Enter a single value.' })
      .trim()
      .toLowerCase()
      .max(60, 'Use at most 60 characters.')
      .regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, 'Use lower-case letters, digits and single hyphens (e.g. "acme-ltd").'),
  );

export const companyForm = z
  .object({ name: field.text('name', 120), slug: slugField(), currency: currencyField() })
  .transform((v, ctx) => {
    const slug = v.slug || slugify(v.name);
    if (!slug)
      ctx.addIssue({
        code: 'custom',
        path: ['slug'],
        message: 'Enter a slug: the name has no letters or digits to make one from.',
      });
    return { ...v, slug };
  });
export type CompanyInput = z.output<typeof companyForm>;

export const companyUpdateForm = z
  .object({ name: field.text('name', 120), slug: slugField(), ...settingsShape, version: field.version() })
  .refine((v) => v.slug !== '', { path: ['slug'], message: 'Enter the slug.' });

export type CompanySort = 'name' | 'slug' | 'created' | 'users';
export type CompanyFilter = 'status';

export const companyListSpec: ListSpec<CompanySort, CompanyFilter> = {
  sorts: ['name', 'slug', 'created', 'users'],
  defaultSort: 'name',
  defaultDir: 'asc',
  filters: { status: ['active', 'inactive'] },
};
