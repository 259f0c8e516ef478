// Amounts in the company's currency (ISO 4217), formatted for the reader: thousands separators and the
// currency's symbol, e.g. 12500.5 in EUR → "€12,500.50". Lead values are exact decimals in the database
// (Decimal(12,2)); they are only turned into numbers here, for display.
const formatters = new Map<string, Intl.NumberFormat>();
const whole = new Map<string, Intl.NumberFormat>();

// Intl knows every ISO 4217 code it can format; the company form offers exactly these.
export const CURRENCIES: string[] = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(
  'currency',
);
export const DEFAULT_CURRENCY = 'EUR';

export function isCurrency(code: string): boolean {
  return CURRENCIES.includes(code);
}

/** One formatter per currency, built once (a board or report formats hundreds of amounts). */
function formatterOf(currency: string, cents: boolean): Intl.NumberFormat {
  const cache = cents ? formatters : whole;
  let f = cache.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      ...(cents ? {} : { maximumFractionDigits: 0, minimumFractionDigits: 0 }),
    });
    cache.set(currency, f);
  }
  return f;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(String(v));
  return Number.isFinite(n) ? n : null;
}

/** An exact amount with its currency: "€12,500.50"; null or blank → "". */
export function formatAmount(v: unknown, currency: string): string {
  const n = toNumber(v);
  return n === null ? '' : formatterOf(currency, true).format(n);
}

/** A total rounded to whole units, for board headers and charts: "€1,250,000"; null → "€0". */
export function formatTotal(v: unknown, currency: string): string {
  return formatterOf(currency, false).format(toNumber(v) ?? 0);
}
