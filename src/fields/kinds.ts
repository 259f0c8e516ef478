// The zod kinds of form fields, shared by every record's forms: form values arrive as strings, a
// repeated field arrives as an array and is refused, empty optional values become '' or null.
import { z } from 'zod';
import { LINE_BREAK_MESSAGE, hasLineBreak } from '../web/input.ts';
import { parseLocalInput } from '../web/time.ts';

const VERSION_MISSING = 'The form is missing its version; reload the page.';
const str = () => z.string({ error: 'Enter a single value.' });
/** A single-line value: CR or LF could split a mail header or a CSV row where it is written out. */
const oneLine = (max: number) =>
  str()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .refine((s) => !hasLineBreak(s), LINE_BREAK_MESSAGE);

export const field = {
  /** A required single-line text (a title, a name). */
  text: (label: string, max = 200) => oneLine(max).refine((s) => s.length > 0, `Enter the ${label}.`),
  /** An optional single-line text (an organisation, a location, a contact's name). */
  optionalLine: (max = 200) => z.preprocess((v) => v ?? '', oneLine(max)),
  /** An optional multi-line text (notes, a description, an address). */
  optionalText: (max = 2000) => z.preprocess((v) => v ?? '', str().trim().max(max, `Use at most ${max} characters.`)),
  email: () =>
    str()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: 'Enter a valid email address.' }))
      .pipe(z.string().max(254, 'Use at most 254 characters.')),
  optionalEmail: () =>
    z.preprocess(
      (v) => v ?? '',
      str()
        .trim()
        .toLowerCase()
        .refine((s) => s === '' || z.email().safeParse(s).success, 'Enter a valid email address.'),
    ),
  id: (label: string) =>
    z.preprocess(
      (v) => (v === '' ? undefined : v),
      str()
        .regex(/^\d{1,9}$/, `Choose a ${label}.`)
        .transform(Number),
    ),
  optionalId: (label: string) =>
    z.preprocess(
      (v) => (v === '' || v === undefined ? null : v),
      z.union([
        z.null(),
        str()
          .regex(/^\d{1,9}$/, `Choose a valid ${label}.`)
          .transform(Number),
      ]),
    ),
  version: () =>
    z.preprocess(
      (v) => v ?? '',
      str()
        .regex(/^\d{1,9}$/, VERSION_MISSING)
        .transform(Number),
    ),
  checkbox: () => z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean()),
};

/** A phone number: digits and the usual separators, at most 50 characters; empty allowed. */
export const phoneField = () =>
  z.preprocess(
    (v) => v ?? '',
    str()
      .trim()
      .max(50, 'Use at most 50 characters.')
      .regex(/^[0-9+()\-./ ]*$/, 'Use digits, spaces and + ( ) - . / only.'),
  );

/** An optional email address (empty allowed), at most 254 characters. */
export const emailField = () => field.optionalEmail().pipe(z.string().max(254, 'Use at most 254 characters.'));

/** A required pick from a select: "Choose an owner." when nothing or something malformed was sent. */
export const pickId = (what: string) =>
  z.preprocess(
    (v) => v ?? '',
    str()
      .regex(/^\d{1,9}$/, `Choose ${what}.`)
      .transform(Number),
  );

/** An optional pick: empty means none (null). */
export const optionalPickId = (label: string) =>
  z.preprocess(
    (v) => v ?? '',
    str()
      .regex(/^(\d{1,9})?$/, `Choose a valid ${label}.`)
      .transform((s) => (s === '' ? null : Number(s))),
  );

/** One of a fixed list of values (an enum column). */
export const choiceField = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Choose a ${label}.` });

/** An optional amount with at most two decimals, kept as a string for Prisma's Decimal; empty → null. */
export const moneyField = () =>
  z.preprocess(
    (v) => (v === undefined ? '' : v),
    str()
      .trim()
      .regex(/^(\d{1,10}(\.\d{1,2})?)?$/, 'Enter an amount like 12500 or 12500.50 (no thousands separators).')
      // One spelling per amount ("012.5" → "12.50", as the column stores it), so an unchanged value is
      // never audited as a change.
      .transform((s) => (s === '' ? null : canonicalAmount(s))),
  );

/** An optional calendar date (yyyy-mm-dd, as <input type="date"> sends it), stored as UTC midnight; empty → null. */
export const optionalDateField = () =>
  z
    .preprocess((v) => v ?? '', str().trim())
    .transform((s, ctx) => {
      if (s === '') return null;
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!m || !d || d.toISOString().slice(0, 10) !== s) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date, for example 2026-03-31.' });
        return null;
      }
      if (d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 2999) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date between the years 1900 and 2999.' });
        return null;
      }
      return d;
    });

/** A datetime-local value read in the user's time zone; empty → null unless required. */
export function localDateTime(timeZone: string, required: boolean, label: string) {
  return z
    .preprocess((v) => v ?? '', str().trim())
    .transform((s, ctx) => {
      if (s === '') {
        if (required) ctx.addIssue({ code: 'custom', message: `Enter the ${label}.` });
        return null;
      }
      const d = parseLocalInput(s, timeZone);
      if (!d) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date and time, for example 2026-03-01 09:30.' });
        return null;
      }
      // Far-off years are typing slips, and beyond 9999 a date cannot even be stored.
      const typedYear = Number(s.slice(0, 4));
      if (typedYear < 1900 || typedYear > 2999 || d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 2999) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date between the years 1900 and 2999.' });
        return null;
      }
      return d;
    });
}

/** "012.5" → "12.50": the amount as a NUMERIC(12,2) column gives it back, computed exactly on the text. */
function canonicalAmount(s: string): string {
  const [whole, cents = ''] = s.split('.');
  return `${BigInt(whole)}.${cents.padEnd(2, '0')}`;
}
