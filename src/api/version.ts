// The optimistic lock of every API PATCH (customers, leads, tasks…): the version a change is based on comes from
// If-Match (the ETag a read gave) or the body's `version`; a stale one answers 412 (If-Match) or 409 (the body).
// If-Match follows RFC 9110 §13.1.1: `*` matches any current representation (the record exists: its loader found it),
// so it adds no version condition; a list of ETags matches when one of them is the record's current ETag, compared
// strongly (§8.8.3.2: a weak `W/"3"` never matches, nor a tag this API does not give, such as "03" or "abc").
import type { Request, Response } from 'express';
import { Conflict, HttpError } from '../web/errors.ts';
import { ApiInvalid } from './problem.ts';

export type ExpectedVersion = { version: number; viaIfMatch: boolean };

/** One entity-tag of a list (§8.8.3: [W/] and a quoted opaque tag), then a comma or the end; leading empty elements. */
const ENTITY_TAG = /[ \t,]*(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"[ \t]*(?:,|$)/y;
/** The ETags this API gives: a version, in its decimal form. */
const API_ETAG = /^(?:0|[1-9]\d{0,8})$/;

/** If-Match's value: `*`, or its entity-tags; null when malformed. */
function ifMatchTags(header: string): '*' | { weak: boolean; opaque: string }[] | null {
  const value = header.trim();
  if (value === '*') return '*';
  const re = new RegExp(ENTITY_TAG);
  const tags: { weak: boolean; opaque: string }[] = [];
  let at = 0;
  while (at < value.length) {
    re.lastIndex = at;
    const m = re.exec(value);
    if (!m) {
      if (/^[ \t,]*$/.test(value.slice(at))) break; // trailing empty elements
      return null;
    }
    tags.push({ weak: m[1] !== undefined, opaque: m[2] });
    at = re.lastIndex;
  }
  return tags.length ? tags : null;
}

const precondition = (detail: string) => new HttpError(412, 'Precondition failed', detail);

/**
 * The version a PATCH expects: the body's `version`, or the record's current one when If-Match names it (or is `*`).
 * With a list naming none of them, an older version it names, which the caller finds stale (412). When both are
 * sent, the body's version must be one of If-Match's.
 */
export function expectedVersion(req: Request, saved: number): ExpectedVersion {
  const header = req.get('if-match');
  const body = (req.body as { version?: unknown } | undefined)?.version;
  if (body !== undefined && !Number.isSafeInteger(body)) throw new ApiInvalid({ version: 'Must be a whole number.' });
  const bodyVersion = body as number | undefined;
  if (header === undefined) return { version: bodyVersion ?? saved, viaIfMatch: false };
  const tags = ifMatchTags(header);
  if (tags === null) throw precondition('If-Match must be "*" or the ETags this API gave, e.g. "3".');
  // Any current version: as without If-Match, the body's version (if sent) is the one the change is based on.
  if (tags === '*') return { version: bodyVersion ?? saved, viaIfMatch: false };
  const versions = tags.filter((t) => !t.weak && API_ETAG.test(t.opaque)).map((t) => Number(t.opaque));
  if (!versions.length) throw precondition('If-Match names no ETag this API gave (a weak W/ one never matches).');
  if (bodyVersion !== undefined && !versions.includes(bodyVersion))
    throw new ApiInvalid({ version: 'Differs from If-Match.' });
  const version = bodyVersion ?? (versions.includes(saved) ? saved : versions[0]);
  return { version, viaIfMatch: true };
}

/** The answer to a change based on an older version of `noun` ("customer", "lead", "task"). */
export const staleVersion = (noun: string, expected: ExpectedVersion) =>
  expected.viaIfMatch
    ? precondition(`The ${noun} was changed since that ETag: read it again.`)
    : new Conflict(`The ${noun} was changed since that version: read it again, then send your change.`);

/** Answers a record with its version as the ETag. */
export function sendVersioned<T extends { version: number }>(res: Response, status: number, body: T): void {
  res.status(status).set('ETag', `"${body.version}"`).json(body);
}
