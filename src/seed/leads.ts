// The demo's and the bench's leads (see builders.ts for the batches): statuses, sources, values and, for the
// money pages (issue 14), the history a real pipeline has: won and lost deals closed over the last 12 months
// (every month gets some, so the "won per month" chart has no holes), lost deals with a reason and the stage
// they had reached, open deals with a next step and an expected close date in the coming months.
import type { LostReason, Prisma } from '../generated/prisma/client.ts';
import { monthStarts } from '../pipeline/range.ts';
import {
  calendarDay,
  type Common,
  DAY,
  type Db,
  inBatches,
  person,
  phone,
  seededPhoneKey,
  type Stamps,
} from './builders.ts';
import { bulkInsert, type Column } from './bulk.ts';
import {
  emailLocalPart,
  LEAD_TOPICS,
  LOST_NOTES,
  NEXT_STEPS,
  NOTES,
  organisationBase,
  organisationName,
} from './names.ts';
import type { Random } from './random.ts';

type LeadRow = Omit<Prisma.LeadCreateManyInput, 'createdAt' | 'updatedAt'> & Stamps;

const LEAD_COLUMNS: Column<LeadRow>[] = [
  ['companyId', 'int'],
  ['title', 'text'],
  ['contactName', 'text'],
  ['email', 'text'],
  ['phone', 'text'],
  ['phoneKey', 'text'],
  ['organisation', 'text'],
  ['source', { enum: 'LeadSource' }],
  ['status', { enum: 'LeadStatus' }],
  ['estimatedValue', 'numeric'],
  ['notes', 'text'],
  ['nextStep', 'text'],
  ['expectedCloseDate', 'date'],
  ['assigneeId', 'int'],
  ['createdById', 'int'],
  ['customerId', 'int'],
  ['convertedAt', 'timestamp'],
  ['assignedAt', 'timestamp'],
  // Set here, not left to the database's trigger (it would stamp the seed's own time): the trigger keeps an
  // explicit closedAt and the larger of the given and the status's furthest stage.
  ['closedAt', 'timestamp'],
  ['furthestStage', 'int'],
  ['lostReason', { enum: 'LostReason' }],
  ['lostNote', 'text'],
  ['createdAt', 'timestamp'],
  ['updatedAt', 'timestamp'],
];

// bench/grow.ts repeats these weights in SQL: keep the two in step.
export const STATUSES = [
  ['NEW', 30],
  ['CONTACTED', 25],
  ['QUALIFIED', 20],
  ['WON', 12],
  ['LOST', 13],
] as const;
export const SOURCES = [
  ['WEBSITE', 35],
  ['REFERRAL', 20],
  ['EVENT', 15],
  ['COLD_CALL', 20],
  ['OTHER', 10],
] as const;
export const LOST_REASON_WEIGHTS: readonly (readonly [LostReason, number])[] = [
  ['PRICE', 25],
  ['COMPETITOR', 20],
  ['NO_BUDGET', 15],
  ['NO_RESPONSE', 20],
  ['NOT_A_FIT', 12],
  ['OTHER', 8],
];
/** How far a lost deal got before it was lost: 0 new, 1 contacted, 2 qualified. */
export const LOST_AT_STAGE = [
  [0, 30],
  [1, 40],
  [2, 30],
] as const;
/** Deal sizes in units of 50: most small, some mid-sized, a few large (500 to 120,000). */
export const VALUE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[10, 100], 45],
  [[100, 500], 40],
  [[500, 2_400], 15],
];
const STAGE_OF = { NEW: 0, CONTACTED: 1, QUALIFIED: 2, WON: 3, LOST: 0 } as const;

/** An estimated value (a multiple of 50), or null for the one lead in ten without one. */
export function dealValue(random: Random): string | null {
  if (!random.chance(0.9)) return null;
  const [min, max] = random.weighted(VALUE_BANDS);
  return (random.int(min, max) * 50).toFixed(2);
}

/** A time on the minute between `from` and `to`. */
function between(random: Random, from: number, to: number): Date {
  const t = new Date(from + Math.floor(random.next() * Math.max(0, to - from)));
  t.setUTCSeconds(0, 0);
  return new Date(Math.max(from, t.getTime()));
}

/**
 * Leads across statuses, sources and assignees; won leads are linked to a customer (converted when won).
 * Won and lost leads are closed in the last 12 months of `timeZone`: the first 12 of each one a month
 * (this month first, so each month has some of each as soon as there are 12), the others more often in
 * recent months; they were created days to weeks before. Open leads came in over the last six months.
 * Returns the count.
 */
export async function seedLeads(
  prisma: Db,
  o: Common & {
    assigneeIds: number[];
    customerIds: number[];
    count: number;
    createdById?: number;
    /** The zone whose calendar months the closed deals are spread over (the company's users'). */
    timeZone?: string;
  },
): Promise<number> {
  const now = o.now ?? new Date();
  const months = monthStarts(o.timeZone ?? 'UTC', now, 12);
  const closedSoFar = { WON: 0, LOST: 0 };
  // After one in each month, busier months lately: a company that grows (and a chart that is not flat).
  const monthWeights = Array.from({ length: 12 }, (_, m) => [m, 4 + m] as const);
  /** The month a won or lost deal closed in: the first 12 of each status one a month, this month first. */
  const closingTime = (status: 'WON' | 'LOST') => {
    const n = closedSoFar[status]++;
    const m = n < 12 ? 11 - n : o.random.weighted(monthWeights);
    return between(o.random, months[m].getTime(), Math.min(months[m + 1].getTime(), now.getTime()));
  };
  await inBatches(o.count, o.onBatch, async (_from, size) => {
    const data: LeadRow[] = [];
    for (let i = 0; i < size; i++) {
      const p = person(o.random);
      const org = o.random.int(0, 3999);
      const organisation = organisationName(org);
      const status = o.random.weighted(STATUSES);
      const open = status === 'NEW' || status === 'CONTACTED' || status === 'QUALIFIED';
      const closedAt = open ? null : closingTime(status);
      const createdAt = closedAt
        ? new Date(closedAt.getTime() - o.random.int(2 * 24 * 60, 75 * 24 * 60) * 60_000)
        : new Date(now.getTime() - o.random.int(0, 182 * 24 * 60) * 60_000);
      const won = status === 'WON' && o.customerIds.length > 0;
      const lostReason = status === 'LOST' ? o.random.weighted(LOST_REASON_WEIGHTS) : null;
      data.push({
        companyId: o.companyId,
        title: `${o.random.pick(LEAD_TOPICS)} for ${organisationBase(org)}`,
        contactName: p.name,
        email: `${emailLocalPart(p.first, p.last)}@${organisation.split(' ')[0].toLowerCase()}.example`,
        phone: phone(o.random),
        organisation,
        source: o.random.weighted(SOURCES),
        status,
        estimatedValue: dealValue(o.random),
        notes: o.random.pick(NOTES),
        // Open leads mostly carry a next step and, once past the first contact, an expected close date in the
        // coming months; a won lead's close date is the day it was won.
        nextStep: open && o.random.chance(status === 'NEW' ? 0.4 : 0.8) ? o.random.pick(NEXT_STEPS) : '',
        expectedCloseDate:
          status === 'WON' && closedAt
            ? calendarDay(closedAt)
            : open && status !== 'NEW' && o.random.chance(0.75)
              ? calendarDay(new Date(now.getTime() + o.random.int(7, 120) * DAY))
              : null,
        assigneeId: o.random.pick(o.assigneeIds),
        createdById: o.createdById ?? null,
        customerId: won || (o.customerIds.length > 0 && o.random.chance(0.1)) ? o.random.pick(o.customerIds) : null,
        convertedAt: won ? closedAt : null,
        // Given to its assignee when it came in (the database's default would say "now").
        assignedAt: createdAt,
        closedAt,
        furthestStage: status === 'LOST' ? o.random.weighted(LOST_AT_STAGE) : STAGE_OF[status],
        lostReason,
        lostNote: lostReason === 'OTHER' ? o.random.pick(LOST_NOTES) : '',
        createdAt,
        updatedAt: closedAt ?? createdAt,
      });
    }
    for (const row of data) row.phoneKey = seededPhoneKey(row.phone ?? '');
    await bulkInsert(prisma, 'Lead', LEAD_COLUMNS, data);
  });
  return o.count;
}
