// Grows a company's leads to a target count with set-based SQL: INSERT … SELECT over
// generate_series, 100,000 rows a statement, so a million leads take a minute or two instead of the
// seed builders' JavaScript batches. Plain INSERTs, so every row trigger on "Lead" fires (the lead
// counters are kept by one). The rows look like src/seed/builders.ts's seedLeads rows: the same
// status and source weights, assignees (staff twice as often as the manager), customers on won
// leads and one lead in ten, values, organisations, titles, and creation times over the past year.
import type pg from 'pg';
import { FIRST_NAMES, LAST_NAMES, LEAD_TOPICS, NOTES, organisationBase, organisationName } from '../src/seed/names.ts';

const STATEMENT_ROWS = 100_000;
const ORGANISATIONS = Array.from({ length: 4000 }, (_, i) => i);

// Cumulative weights of src/seed/builders.ts's STATUSES and SOURCES (not exported there).
const STATUS_CASE = `CASE WHEN r_status < 0.30 THEN 'NEW' WHEN r_status < 0.55 THEN 'CONTACTED' WHEN r_status < 0.75 THEN 'QUALIFIED'
  WHEN r_status < 0.87 THEN 'WON' ELSE 'LOST' END`;
const SOURCE_CASE = `CASE WHEN r_source < 0.35 THEN 'WEBSITE' WHEN r_source < 0.55 THEN 'REFERRAL' WHEN r_source < 0.70 THEN 'EVENT'
  WHEN r_source < 0.90 THEN 'COLD_CALL' ELSE 'OTHER' END`;

const pick = (array: string, r: string) => `(${array})[1 + floor(${r} * cardinality(${array}))::int]`;

const INSERT = `
INSERT INTO "Lead" ("companyId", title, "contactName", email, phone, organisation, source, status, "estimatedValue", notes,
  "assigneeId", "createdById", "customerId", "convertedAt", "createdAt", "updatedAt")
SELECT $1::int, ${pick('$2::text[]', 'r_topic')} || ' for ' || ($4::text[])[org], first || ' ' || last,
  regexp_replace(lower(first || '.' || last), '[^a-z.]', '', 'g') || '@' || lower(split_part(($3::text[])[org], ' ', 1)) || '.example',
  '+44 20 ' || (1000 + floor(r_phone1 * 9000))::int || ' ' || (1000 + floor(r_phone2 * 9000))::int,
  ($3::text[])[org], source::"LeadSource", status::"LeadStatus",
  CASE WHEN r_value < 0.9 THEN (10 + floor(r_amount * 1591)) * 50 END, ${pick('$5::text[]', 'r_notes')},
  ${pick('$6::int[]', 'r_assignee')}, $7::int,
  CASE WHEN cardinality($8::int[]) > 0 AND (status = 'WON' OR r_customer < 0.1) THEN ${pick('$8::int[]', 'r_which')} END,
  CASE WHEN status = 'WON' AND cardinality($8::int[]) > 0 THEN least($9::timestamp(3), created + (1 + floor(r_convert * 60)) * interval '1 day') END,
  created, created
FROM (
  SELECT ${STATUS_CASE} AS status, ${SOURCE_CASE} AS source, *
  FROM (
    SELECT g, random() AS r_topic, random() AS r_phone1, random() AS r_phone2, random() AS r_value, random() AS r_amount,
      random() AS r_notes, random() AS r_assignee, random() AS r_customer, random() AS r_which, random() AS r_convert,
      random() AS r_status, random() AS r_source, 1 + floor(random() * 4000)::int AS org,
      ${pick('$10::text[]', 'random()')} AS first, ${pick('$11::text[]', 'random()')} AS last,
      date_trunc('minute', $9::timestamp(3) - floor(random() * 365 * 24 * 60) * interval '1 minute') AS created
    FROM generate_series(1, $12::int) AS g
  ) AS draws
) AS lead`;

export type GrowOptions = {
  companyId: number;
  /** Assignees as the seeder weights them: each staff id twice, the manager's once. */
  assigneeIds: number[];
  customerIds: number[];
  createdById: number | null;
  now: Date;
};

/** Adds leads to the company until it has `target`; returns how many were added. */
export async function growLeads(pool: pg.Pool, o: GrowOptions, target: number, log: (m: string) => void): Promise<number> {
  // One connection: setseed applies to the session that draws the rows.
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "Lead" WHERE "companyId" = $1', [o.companyId]);
    const missing = target - rows[0].n;
    // Fixed draws per company and size, so two runs build the same data.
    await client.query('SELECT setseed($1)', [((o.companyId * 7919 + rows[0].n) % 1000) / 1000]);
    for (let done = 0; done < missing; done += STATEMENT_ROWS) {
      const size = Math.min(STATEMENT_ROWS, missing - done);
      await client.query(INSERT, [
        o.companyId, LEAD_TOPICS, ORGANISATIONS.map(organisationName), ORGANISATIONS.map(organisationBase), NOTES,
        o.assigneeIds, o.createdById, o.customerIds, o.now.toISOString(), FIRST_NAMES, LAST_NAMES, size,
      ]);
      if (missing > STATEMENT_ROWS) log(`  leads: ${(rows[0].n + done + size).toLocaleString('en')} / ${target.toLocaleString('en')}`);
    }
    return Math.max(0, missing);
  } finally {
    client.release();
  }
}
