// Duplicate detection (issue 16 item 5): the customers or leads a new or edited record may repeat, among those the
// user can see. A match has the same email, the same phone key (src/duplicate/keys.ts), or a name close by trigram
// similarity (pg_trgm) whose organisation, when both have one, is close too. One statement: the email and phone
// are found through the (companyId, email) and (companyId, phoneKey) indexes, the names through the trigram
// indexes, combined by PostgreSQL's bitmap OR. Raw SQL because Prisma cannot write similarity(); its conditions
// of scope come from the access core (readScopeSql), and the company is the record's own, so a record of another
// company is never reported, not even by name.
import type { CountryCode } from 'libphonenumber-js';
import type { CurrentUser } from '../access/currentUser.ts';
import { readScopeSql, type ScopedClient, type ScopedTx } from '../access/scope.ts';
import { rawSqlIn } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { emailKeyOf, phoneCountryOf, phoneKeyOf } from './keys.ts';

export type DuplicateKind = 'customer' | 'lead';
export type DuplicateReason = 'email' | 'phone' | 'name' | 'organisation';

/** What is compared. For a lead, `name` is its contact's name (its title when it has no contact name). */
export type DuplicateCandidate = {
  companyId: number;
  name?: string | null;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  organisation?: string | null;
};

export type DuplicateMatch = {
  kind: DuplicateKind;
  id: number;
  /** The customer's name; the lead's title. */
  name: string;
  contactName: string;
  email: string;
  phone: string;
  organisation: string;
  reasons: DuplicateReason[];
  /** The reasons in words: "same email, similar name". */
  because: string;
  /** The name's trigram similarity (0–1). */
  similarity: number;
  href: string;
};

/** Names at least this close (pg_trgm similarity) are "similar": "Jon Smith" is John Smith, "Jane Smith" is not. */
export const NAME_SIMILARITY = 0.5;
/** Organisations, when both records have one, at least this close: "ACME Limited" is Acme Ltd, Globex Ltd is not. */
export const ORGANISATION_SIMILARITY = 0.3;
export const DUPLICATE_LIMIT = 10;

const REASON_WORDS: Record<DuplicateReason, string> = {
  email: 'same email',
  phone: 'same phone',
  name: 'similar name',
  organisation: 'similar organisation',
};
const withWords = (m: Omit<DuplicateMatch, 'because'>): DuplicateMatch => ({
  ...m,
  because: m.reasons.map((r) => REASON_WORDS[r]).join(', '),
});

type Row = {
  id: number;
  name: string;
  contactName: string;
  email: string;
  phone: string;
  organisation: string;
  sameEmail: boolean;
  samePhone: boolean;
  nameMatch: boolean;
  orgMatch: boolean;
  similarity: number;
};

const TABLES = {
  customer: { table: 'Customer', scope: 'Customer', nameColumn: 'name', contact: `''` },
  lead: { table: 'Lead', scope: 'Lead', nameColumn: 'contactName', contact: `d."contactName"` },
} as const;

/**
 * The user's records of `kind` that may be the same as `candidate` (in the candidate's company), best first: same
 * email, then same phone, then the closest name; `excludeId` is the record being edited. One statement (none when
 * the candidate has nothing to compare). Works on the request's scoped client or inside its transaction.
 */
export async function findDuplicates(
  db: ScopedClient | ScopedTx,
  user: Pick<CurrentUser, 'id' | 'role' | 'companyId'>,
  kind: DuplicateKind,
  candidate: DuplicateCandidate,
  options: {
    excludeId?: number | null;
    phoneCountry?: CountryCode;
    limit?: number;
    /** Also a close organisation alone (the conversion's suggestions: a customer is often named for its firm). */
    byOrganisation?: boolean;
  } = {},
): Promise<DuplicateMatch[]> {
  const t = TABLES[kind];
  const email = emailKeyOf(candidate.email);
  const phone = phoneKeyOf(candidate.phone, options.phoneCountry);
  // A lead without a contact name is compared by its title.
  const byTitle = kind === 'lead' && !(candidate.name ?? '').trim();
  const name = ((byTitle ? candidate.title : candidate.name) ?? '').trim();
  const nameColumn = Prisma.raw(`d."${byTitle ? 'title' : t.nameColumn}"`);
  const organisation = (candidate.organisation ?? '').trim();
  const matches: Prisma.Sql[] = [];
  if (email) matches.push(Prisma.sql`d."email" = ${email}`);
  if (phone) matches.push(Prisma.sql`d."phoneKey" = ${phone}`);
  const nameMatch = name
    ? Prisma.sql`(${nameColumn} % ${name} AND similarity(${nameColumn}, ${name}) >= ${NAME_SIMILARITY}
        AND (d."organisation" = '' OR ${organisation} = ''
          OR similarity(d."organisation", ${organisation}) >= ${ORGANISATION_SIMILARITY}))`
    : Prisma.sql`FALSE`;
  if (name) matches.push(nameMatch);
  const orgMatch =
    options.byOrganisation && organisation
      ? Prisma.sql`(d."organisation" % ${organisation}
          AND similarity(d."organisation", ${organisation}) >= ${NAME_SIMILARITY})`
      : Prisma.sql`FALSE`;
  if (options.byOrganisation && organisation) matches.push(orgMatch);
  if (!matches.length) return [];
  const scope = readScopeSql(t.scope, user, 'd');
  const exclude = options.excludeId ? Prisma.sql`AND d."id" <> ${options.excludeId}` : Prisma.empty;
  const sql = Prisma.sql`
    SELECT d."id", d.${Prisma.raw(kind === 'lead' ? '"title"' : '"name"')} AS "name",
      ${Prisma.raw(t.contact)} AS "contactName", d."email", d."phone", d."organisation",
      ${email ? Prisma.sql`d."email" = ${email}` : Prisma.sql`FALSE`} AS "sameEmail",
      ${phone ? Prisma.sql`d."phoneKey" = ${phone}` : Prisma.sql`FALSE`} AS "samePhone",
      ${nameMatch} AS "nameMatch", ${orgMatch} AS "orgMatch",
      ${name ? Prisma.sql`similarity(${nameColumn}, ${name})` : Prisma.sql`0`}::float8 AS "similarity"
    FROM ${Prisma.raw(`"${t.table}"`)} d
    WHERE d."companyId" = ${candidate.companyId} AND ${scope} ${exclude}
      AND (${Prisma.join(matches, ' OR ')})
    ORDER BY "sameEmail" DESC, "samePhone" DESC, "nameMatch" DESC, "similarity" DESC, d."id"
    LIMIT ${options.limit ?? DUPLICATE_LIMIT}`;
  // Awaited inside: a Prisma query runs when awaited, and must run while the reason is held.
  const rows = await rawSqlIn('duplicate detection', async () => await (db as ScopedClient).$queryRaw<Row[]>(sql));
  return rows.map((r) =>
    withWords({
      kind,
      id: r.id,
      name: r.name,
      contactName: r.contactName,
      email: r.email,
      phone: r.phone,
      organisation: r.organisation,
      reasons: [
        ...(r.sameEmail ? (['email'] as const) : []),
        ...(r.samePhone ? (['phone'] as const) : []),
        ...(r.nameMatch ? (['name'] as const) : []),
        ...(r.orgMatch ? (['organisation'] as const) : []),
      ],
      similarity: Number(r.similarity),
      href: `/${kind === 'lead' ? 'leads' : 'customers'}/${r.id}`,
    }),
  );
}

/** Did the form say "Save anyway" (the checkbox of views/duplicate/_notice.ejs)? */
export const savesAnyway = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).saveAnyway === 'yes';

/**
 * A form's possible duplicates (create or edit, of a customer or a lead), in the company's phone country, or none
 * when the user chose "Save anyway": what every form asks before it saves.
 */
export function formDuplicates(
  db: ScopedClient | ScopedTx,
  user: Pick<CurrentUser, 'id' | 'role' | 'companyId'>,
  kind: DuplicateKind,
  body: unknown,
  candidate: DuplicateCandidate,
  company: { currency?: string | null; excludeId?: number },
): Promise<DuplicateMatch[]> {
  if (savesAnyway(body)) return Promise.resolve([]);
  return findDuplicates(db, user, kind, candidate, {
    excludeId: company.excludeId,
    phoneCountry: phoneCountryOf(company.currency),
  });
}
