// Grows a company's leads to a target count with set-based SQL: INSERT … SELECT over
// generate_series, 100,000 rows a statement on each of the pool's connections, so a million leads take
// a few minutes on a busy 2-core machine instead of the seed builders' JavaScript batches. Plain
// INSERTs, so every row trigger on "Lead" fires (the lead counters are kept by one). The rows
// look like src/seed/leads.ts's seedLeads rows: the same status, source, value and lost-reason weights
// (read from there), assignees (staff twice as often as the manager), customers on won leads and one lead in
// ten, organisations, titles, next steps and expected close dates on open leads, creation times over the past
// year, and what the money pages read (issue 14): closedAt days to weeks after creation on won and lost leads
// (never after now), the furthest stage reached (a lost lead's 0–2), a lost lead's reason (and note for OTHER).
import type pg from 'pg';
import { LOST_AT_STAGE, LOST_REASON_WEIGHTS, SOURCES, STATUSES, VALUE_BANDS } from '../src/seed/leads.ts';
import {
  FIRST_NAMES,
  LAST_NAMES,
  LEAD_TOPICS,
  LOST_NOTES,
  NEXT_STEPS,
  NOTES,
  organisationBase,
  organisationName,
} from '../src/seed/names.ts';

const STATEMENT_ROWS = 100_000;
const ORGANISATIONS = Array.from({ length: 4000 }, (_, i) => i);

/**
 * A CASE over a uniform draw that yields each value with its weight (the seeder's weights, from
 * src/seed/leads.ts): strings as literals, or SQL expressions with `expressions`. Values are this code's
 * constants, never input.
 */
function weightedCase(
  draw: string,
  weights: readonly (readonly [string | number, number])[],
  expressions = false,
): string {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const sql = (v: string | number) => (typeof v === 'number' || expressions ? String(v) : `'${v}'`);
  let below = 0;
  const whens = weights.slice(0, -1).map(([value, w]) => {
    below += w;
    return `WHEN ${draw} < ${below / total} THEN ${sql(value)}`;
  });
  return `CASE ${whens.join(' ')} ELSE ${sql(weights.at(-1)![0])} END`;
}

/** A deal size as the seeder draws it: a band by weight, then a multiple of 50 within it. */
const VALUE_CASE = `50 * ${weightedCase(
  'r_band',
  VALUE_BANDS.map(([[min, max], w]) => [`(${min} + floor(r_amount * ${max - min + 1}))`, w] as const),
  true,
)}`;

const pick = (array: string, r: string) => `(${array})[1 + floor(${r} * cardinality(${array}))::int]`;

// Won and lost leads close days to weeks after they came in, as the seeder's do (one that came in lately
// closed at some time between then and now, so no pile of deals closes at the bench's "now"); a lost lead
// reached stage 0–2 and has a reason; open leads past NEW mostly expect to close in the coming months.
const INSERT = `
INSERT INTO "Lead" ("companyId", title, "contactName", email, phone, "phoneKey", organisation, source, status,
  "estimatedValue",
  notes, "nextStep", "expectedCloseDate",
  "assigneeId", "createdById", "customerId", "convertedAt", "closedAt", "furthestStage", "lostReason", "lostNote",
  "createdAt", "updatedAt")
SELECT $1::int, ${pick('$2::text[]', 'r_topic')} || ' for ' || ($4::text[])[org], first || ' ' || last,
  regexp_replace(lower(first || '.' || last), '[^a-z.]', '', 'g') || '@'
    || lower(split_part(($3::text[])[org], ' ', 1)) || '.example',
  '+44 20 ' || (1000 + floor(r_phone1 * 9000))::int || ' ' || (1000 + floor(r_phone2 * 9000))::int,
  '+4420' || (1000 + floor(r_phone1 * 9000))::int || (1000 + floor(r_phone2 * 9000))::int,
  ($3::text[])[org], source::"LeadSource", status::"LeadStatus",
  CASE WHEN r_value < 0.9 THEN ${VALUE_CASE} END, ${pick('$5::text[]', 'r_notes')},
  CASE WHEN open AND r_next < (CASE WHEN status = 'NEW' THEN 0.4 ELSE 0.8 END) THEN ${pick('$13::text[]', 'r_step')}
    ELSE '' END,
  CASE WHEN status = 'WON' THEN closed::date
    WHEN open AND status <> 'NEW' AND r_expect < 0.75 THEN $9::timestamp(3)::date + (7 + floor(r_when * 114))::int END,
  ${pick('$6::int[]', 'r_assignee')}, $7::int,
  CASE WHEN cardinality($8::int[]) > 0 AND (status = 'WON' OR r_customer < 0.1)
    THEN ${pick('$8::int[]', 'r_which')} END,
  CASE WHEN status = 'WON' AND cardinality($8::int[]) > 0 THEN closed END,
  CASE WHEN NOT open THEN closed END,
  CASE status WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2 WHEN 'WON' THEN 3
    WHEN 'LOST' THEN ${weightedCase('r_stage', LOST_AT_STAGE)} ELSE 0 END,
  CASE WHEN status = 'LOST' THEN reason::"LostReason" END,
  CASE WHEN status = 'LOST' AND reason = 'OTHER' THEN ${pick('$14::text[]', 'r_note')} ELSE '' END,
  created, CASE WHEN open THEN created ELSE closed END
FROM (
  SELECT status IN ('NEW', 'CONTACTED', 'QUALIFIED') AS open, *
  FROM (
    SELECT ${weightedCase('r_status', STATUSES)} AS status, ${weightedCase('r_source', SOURCES)} AS source,
      ${weightedCase('r_reason', LOST_REASON_WEIGHTS)} AS reason,
      CASE WHEN created + close_after <= $9::timestamp(3) THEN created + close_after
        ELSE created + r_close_minute * ($9::timestamp(3) - created) END AS closed,
      *
    FROM (
      SELECT g, random() AS r_topic, random() AS r_phone1, random() AS r_phone2, random() AS r_value,
        random() AS r_band, random() AS r_amount, random() AS r_notes, random() AS r_next, random() AS r_step,
        random() AS r_expect, random() AS r_when, random() AS r_assignee, random() AS r_customer, random() AS r_which,
        random() AS r_close_minute, random() AS r_stage, random() AS r_reason,
        random() AS r_note, random() AS r_status, random() AS r_source, 1 + floor(random() * 4000)::int AS org,
        ${pick('$10::text[]', 'random()')} AS first, ${pick('$11::text[]', 'random()')} AS last,
        date_trunc('minute', $9::timestamp(3) - floor(random() * 365 * 24 * 60) * interval '1 minute') AS created,
        (2 + floor(random() * 40)) * interval '1 day' + floor(random() * 600) * interval '1 minute' AS close_after
      FROM generate_series(1, $12::int) AS g
    ) AS draws
  ) AS weighted
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
          NEXT_STEPS,
          LOST_NOTES,
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
