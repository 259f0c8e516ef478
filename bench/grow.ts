// Grows a company's leads to a target count with set-based SQL: INSERT … SELECT over
// generate_series, 100,000 rows a statement on each of the pool's connections, so a million leads take
// a few minutes on a busy 2-core machine instead of the seed builders' JavaScript batches. Plain
// INSERTs, so every row trigger on "Lead" fires (the lead counters are kept by one). The rows
// look like src/seed/builders.ts's seedLeads rows: the same
// status and source weights, assignees (staff twice as often as the manager), customers on won
// leads and one lead in ten, values, organisations, titles, and creation times over the past year.
import type pg from 'pg';
import { FIRST_NAMES, LAST_NAMES, LEAD_TOPICS, NOTES, organisationBase, organisationName } from '../src/seed/names.ts';

const STATEMENT_ROWS = 100_000;
const ORGANISATIONS = Array.from({ length: 4000 }, (_, i) => i);

// Cumulative weights of src/seed/builders.ts's STATUSES and SOURCES (not exported there).
const STATUS_CASE = `CASE WHEN r_status < 0.30 THEN 'NEW' WHEN r_status < 0.55 THEN 'CONTACTED'
  WHEN r_status < 0.75 THEN 'QUALIFIED'
  WHEN r_status < 0.87 THEN 'WON' ELSE 'LOST' END`;
const SOURCE_CASE = `CASE WHEN r_source < 0.35 THEN 'WEBSITE' WHEN r_source < 0.55 THEN 'REFERRAL'
  WHEN r_source < 0.70 THEN 'EVENT'
  WHEN r_source < 0.90 THEN 'COLD_CALL' ELSE 'OTHER' END`;

const pick = (array: string, r: string) => `(${array})[1 + floor(${r} * cardinality(${array}))::int]`;

const INSERT = `
INSERT INTO "Lead" ("companyId", title, "contactName", email, phone, organisation, source, status, "estimatedValue",
  notes,
  "assigneeId", "createdById", "customerId", "convertedAt", "createdAt", "updatedAt")
SELECT $1::int, ${pick('$2::text[]', 'r_topic')} || ' for ' || ($4::text[])[org], first || ' ' || last,
  regexp_replace(lower(first || '.' || last), '[^a-z.]', '', 'g') || '@'
    || lower(split_part(($3::text[])[org], ' ', 1)) || '.example',
  '+44 20 ' || (1000 + floor(r_phone1 * 9000))::int || ' ' || (1000 + floor(r_phone2 * 9000))::int,
  ($3::text[])[org], source::"LeadSource", status::"LeadStatus",
  CASE WHEN r_value < 0.9 THEN (10 + floor(r_amount * 1591)) * 50 END, ${pick('$5::text[]', 'r_notes')},
  ${pick('$6::int[]', 'r_assignee')}, $7::int,
  CASE WHEN cardinality($8::int[]) > 0 AND (status = 'WON' OR r_customer < 0.1)
    THEN ${pick('$8::int[]', 'r_which')} END,
  CASE WHEN status = 'WON' AND cardinality($8::int[]) > 0
    THEN least($9::timestamp(3), created + (1 + floor(r_convert * 60)) * interval '1 day') END,
  created, created
FROM (
  SELECT ${STATUS_CASE} AS status, ${SOURCE_CASE} AS source, *
  FROM (
    SELECT g, random() AS r_topic, random() AS r_phone1, random() AS r_phone2, random() AS r_value,
      random() AS r_amount,
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

/**
 * Past this many new rows the trigram (GIN) indexes are dropped and built again afterwards: building
 * one over a million rows costs a fraction of updating it row by row (most of an insert's time here).
 * Their definitions are read from the catalogue, so the rebuilt indexes are the migrations' own.
 */
const REBUILD_GIN_FROM = 200_000;

/**
 * Adds leads to the company until it has `target`; returns how many were added. The statements run
 * on all the pool's connections at once (each draws its own rows), as an import by several workers would.
 */
export async function growLeads(
  pool: pg.Pool,
  o: GrowOptions,
  target: number,
  log: (m: string) => void,
): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM "Lead" WHERE "companyId" = $1', [
    o.companyId,
  ]);
  const before = rows[0].n;
  const missing = target - before;
  if (missing <= 0) return 0;
  let ginIndexes: { name: string; definition: string }[] = [];
  if (missing >= REBUILD_GIN_FROM) {
    ginIndexes = (
      await pool.query<{ name: string; definition: string }>(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE i.indrelid = '"Lead"'::regclass AND a.amname = 'gin'`,
      )
    ).rows;
    for (const index of ginIndexes) await pool.query(`DROP INDEX "${index.name}"`);
  }
  const params = [LEAD_TOPICS, ORGANISATIONS.map(organisationName), ORGANISATIONS.map(organisationBase), NOTES];
  const sizes: number[] = [];
  for (let left = missing; left > 0; left -= STATEMENT_ROWS) sizes.push(Math.min(STATEMENT_ROWS, left));
  let done = 0;
  const worker = async (w: number) => {
    const client = await pool.connect();
    try {
      // Fixed draws per company, size and connection, so two runs build the same data.
      await client.query('SELECT setseed($1)', [((o.companyId * 7919 + before + w * 104_729) % 1000) / 1000]);
      for (let size = sizes.shift(); size; size = sizes.shift()) {
        await client.query(INSERT, [
          o.companyId,
          ...params,
          o.assigneeIds,
          o.createdById,
          o.customerIds,
          o.now.toISOString(),
          FIRST_NAMES,
          LAST_NAMES,
          size,
        ]);
        done += size;
        if (missing > STATEMENT_ROWS)
          log(`  leads: ${(before + done).toLocaleString('en')} / ${target.toLocaleString('en')}`);
      }
    } finally {
      client.release();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, pool.options.max ?? 1) }, (_, w) => worker(w)));
  } finally {
    if (ginIndexes.length) {
      log(`  building ${ginIndexes.map((i) => i.name).join(', ')} again …`);
      await rebuild(pool, ginIndexes);
    }
  }
  return missing;
}

/** Builds the indexes again, as many at a time as the pool has connections. */
async function rebuild(pool: pg.Pool, indexes: { definition: string }[]): Promise<void> {
  const queue = [...indexes];
  const worker = async () => {
    const client = await pool.connect();
    try {
      await client.query("SET maintenance_work_mem = '256MB'");
      for (let index = queue.shift(); index; index = queue.shift()) await client.query(index.definition);
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, pool.options.max ?? 1) }, worker));
}
