// Characters no field may hold, checked where input enters (forms in parseForm, query strings in
// refuseControlCharsInQuery): PostgreSQL refuses U+0000 in text (a 500 before this check), and the
// other C0 controls are never typed by a person. Tab, CR and LF stay allowed in multi-line text;
// single-line fields (field.text, field.line) refuse CR and LF too, which could split a mail header.
import type { RequestHandler } from 'express';
import { BadRequest } from './errors.ts';

// U+0000–U+001F and U+007F, except tab, LF and CR.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\r\n]/;

export const CONTROL_CHAR_MESSAGE = 'Remove the invisible control character (such as a NUL byte) from this field.';
export const LINE_BREAK_MESSAGE = 'Keep this on one line.';

/** True when a posted value (a string, or the strings of a repeated field) holds a control character. */
export function hasControlChar(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL.test(value);
  if (Array.isArray(value)) return value.some(hasControlChar);
  return false;
}

export function hasLineBreak(value: string): boolean {
  return LINE_BREAK.test(value);
}

// Query strings are single-line (search boxes, filters, ids): control characters and line breaks alike.
const QUERY_REFUSED = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const refusedInQuery = (v: unknown): boolean =>
  typeof v === 'string' ? QUERY_REFUSED.test(v) : Array.isArray(v) && v.some(refusedInQuery);

/** Query strings: a control character or line break anywhere (name or value) is a 400 before any handler reads it. */
export const refuseControlCharsInQuery: RequestHandler = (req, _res, next) => {
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (refusedInQuery(name) || refusedInQuery(value)) {
      return next(
        new BadRequest(
          `The parameter "${printable(name)}" holds a character ` +
            `that is not allowed (a control character or line break).`,
        ),
      );
    }
  }
  next();
};

const printable = (s: string) => s.replace(/[\u0000-\u001F\u007F]/g, '?').slice(0, 40);

/**
 * A page that reads one value per parameter answers 400 to a repeated one (`?month=a&month=b`), as SECURITY.md
 * asks, rather than picking one silently.
 */
export function refuseRepeated(query: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    if (Array.isArray(query[name])) throw new BadRequest(`The parameter "${name}" was given more than once.`);
  }
}
