// The keys duplicate detection compares (issue 16 item 5). An email is compared as stored: the forms trim and
// lower-case it (src/fields/kinds.ts optionalEmail), and the migration duplicates_and_merge lower-cased older rows.
// A phone is compared by its key, written by the app with the phone (Customer.phoneKey, Lead.phoneKey): the number
// in E.164 as libphonenumber-js reads it, so "+44 20 7946 0000", "020 7946 0000" (in a GB company) and
// "0044 20 7946 0000" share one key.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedTx } from '../access/scope.ts';

/** The country a number written without its country code is read in, when nothing better is known. */
export const FALLBACK_PHONE_COUNTRY: CountryCode = 'GB';

/**
 * A company's default phone country, from its currency: a national currency's code starts with its country's
 * (GBP → GB, USD → US, CHF → CH, SEK → SE); the euro, shared by many countries, reads as Germany (DE); anything
 * else falls back to GB.
 */
export function phoneCountryOf(currency: string | null | undefined): CountryCode {
  if (currency === 'EUR') return 'DE';
  const guess = (currency ?? '').slice(0, 2).toUpperCase();
  return isSupportedCountry(guess) ? guess : FALLBACK_PHONE_COUNTRY;
}

/** Fewer digits than this make no key: "12" or "0" must not match every other short scribble. */
const MIN_DIGITS = 6;

/**
 * The phone's key: E.164 when libphonenumber-js finds a possible number (its country code, or `defaultCountry`
 * for a national one), else its digits (a number it cannot read still matches the same digits), '' for none.
 */
export function phoneKeyOf(phone: string | null | undefined, defaultCountry: CountryCode = FALLBACK_PHONE_COUNTRY) {
  const raw = (phone ?? '').trim();
  const digits = raw.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS) return '';
  const parsed = parsePhoneNumberFromString(raw, defaultCountry);
  if (parsed?.isPossible()) return parsed.number;
  return digits;
}

/** The email's key: as the forms store it (trimmed, lower case); '' for none. */
export const emailKeyOf = (email: string | null | undefined): string => (email ?? '').trim().toLowerCase();

/**
 * The default phone country of the company a record belongs to: the user's own company costs nothing (its
 * currency is on the signed-in user); another one (a superuser's pick) is read once.
 */
export async function companyPhoneCountry(
  db: Pick<ScopedTx, 'company'>,
  user: Pick<CurrentUser, 'companyId' | 'currency'>,
  companyId: number,
): Promise<CountryCode> {
  if (user.companyId === companyId) return phoneCountryOf(user.currency);
  const company = await db.company.findUnique({ where: { id: companyId }, select: { currency: true } });
  return phoneCountryOf(company?.currency);
}
