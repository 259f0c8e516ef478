// Company forms and list query (SPEC section 5: name, unique slug, active flag).
import { z } from 'zod';
import { field } from '../fields/kinds.ts';
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

export const COMPANY_FIELDS = ['name', 'slug'] as const;

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

export const companyForm = z.object({ name: field.text('name', 120), slug: slugField() }).transform((v, ctx) => {
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
  .object({ name: field.text('name', 120), slug: slugField(), version: field.version() })
  .refine((v) => v.slug !== '', { path: ['slug'], message: 'Enter the slug.' });

export type CompanySort = 'name' | 'slug' | 'created' | 'users';
export type CompanyFilter = 'status';

export const companyListSpec: ListSpec<CompanySort, CompanyFilter> = {
  sorts: ['name', 'slug', 'created', 'users'],
  defaultSort: 'name',
  defaultDir: 'asc',
  filters: { status: ['active', 'inactive'] },
};
