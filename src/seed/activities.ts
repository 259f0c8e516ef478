// The demo's and the bench's activities: calls, emails, meetings and notes on a company's leads and customers,
// inserted in batches like the other builders (builders.ts).
import type { Prisma } from '../generated/prisma/client.ts';
import { type Common, type CustomerRef, DAY, type Db, inBatches, type LeadRef, type Stamps } from './builders.ts';
import { bulkInsert, type Column } from './bulk.ts';
import { ACTIVITY_DETAILS, CALL_SUMMARIES, EMAIL_SUMMARIES, MEETING_SUMMARIES, NOTE_SUMMARIES } from './names.ts';
import type { Random } from './random.ts';

type ActivityRow = Omit<Prisma.ActivityCreateManyInput, 'createdAt' | 'updatedAt'> & Stamps;

const ACTIVITY_COLUMNS: Column<ActivityRow>[] = [
  ['companyId', 'int'],
  ['kind', { enum: 'ActivityKind' }],
  ['summary', 'text'],
  ['details', 'text'],
  ['occurredAt', 'timestamp'],
  ['callOutcome', { enum: 'CallOutcome' }],
  ['durationMinutes', 'int'],
  ['authorId', 'int'],
  ['leadId', 'int'],
  ['customerId', 'int'],
  ['createdAt', 'timestamp'],
  ['updatedAt', 'timestamp'],
];

/** How many activities a lead of each status gets: the chance it has any, then how many. */
const ACTIVITIES_PER_LEAD: Record<string, readonly [chance: number, min: number, max: number]> = {
  NEW: [0.4, 1, 2],
  CONTACTED: [0.9, 1, 4],
  QUALIFIED: [1, 2, 6],
  WON: [1, 3, 7],
  LOST: [0.7, 1, 3],
};
const KINDS = [
  ['CALL', 45],
  ['EMAIL', 25],
  ['MEETING', 12],
  ['NOTE', 18],
] as const;
const OUTCOMES = [
  ['REACHED', 50],
  ['LEFT_MESSAGE', 22],
  ['NO_ANSWER', 24],
  ['WRONG_NUMBER', 4],
] as const;
/** Activities spread over this many days before now. */
const ACTIVITY_DAYS = 42;

function activity(
  random: Random,
  companyId: number,
  about: { authorId: number | null; leadId: number | null; customerId: number | null },
  occurredAt: Date,
): ActivityRow {
  const kind = random.weighted(KINDS);
  const outcome = kind === 'CALL' ? random.weighted(OUTCOMES) : null;
  const summary = outcome
    ? random.pick(CALL_SUMMARIES[outcome])
    : random.pick(kind === 'EMAIL' ? EMAIL_SUMMARIES : kind === 'MEETING' ? MEETING_SUMMARIES : NOTE_SUMMARIES);
  const duration =
    outcome === 'REACHED' ? random.int(3, 40) : outcome === 'LEFT_MESSAGE' || outcome === 'WRONG_NUMBER' ? 1 : null;
  return {
    companyId,
    kind,
    summary,
    details: random.pick(ACTIVITY_DETAILS),
    occurredAt,
    callOutcome: outcome,
    durationMinutes: duration,
    ...about,
    createdAt: occurredAt,
    updatedAt: occurredAt,
  };
}

/** `count` times between `from` and `now`, oldest first, on the minute. */
function timesBetween(random: Random, from: Date, now: Date, count: number): Date[] {
  const span = Math.max(0, now.getTime() - from.getTime());
  return Array.from({ length: count }, () => {
    const t = new Date(from.getTime() + Math.floor(random.next() * span));
    t.setUTCSeconds(0, 0);
    return t;
  }).sort((a, b) => a.getTime() - b.getTime());
}

/**
 * Calls, emails, meetings and notes over the last six weeks: on leads (more the further along the lead is),
 * written by the lead's assignee, also about its customer once the lead was converted (so they show on the
 * customer's page too); and on customers alone, written by their owner. At most `maxLeads` leads (the
 * newest) get activities, so a company of a million leads does not get millions. Returns the count.
 */
export async function seedActivities(
  prisma: Db,
  o: Common & { leads: LeadRef[]; customers: CustomerRef[]; maxLeads?: number },
): Promise<number> {
  const now = o.now ?? new Date();
  const earliest = new Date(now.getTime() - ACTIVITY_DAYS * DAY);
  const leads = [...o.leads]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
    .slice(0, o.maxLeads ?? 2_000);
  const rows: ActivityRow[] = [];
  for (const lead of leads) {
    const [chance, min, max] = ACTIVITIES_PER_LEAD[lead.status] ?? [0.5, 1, 2];
    if (!o.random.chance(chance)) continue;
    const from = lead.createdAt > earliest ? lead.createdAt : earliest;
    const about = {
      authorId: lead.assigneeId,
      leadId: lead.id,
      customerId: lead.convertedAt ? lead.customerId : null,
    };
    for (const t of timesBetween(o.random, from, now, o.random.int(min, max)))
      rows.push(activity(o.random, o.companyId, about, t));
  }
  for (const customer of o.customers) {
    if (!o.random.chance(0.6)) continue;
    const about = { authorId: customer.ownerId, leadId: null, customerId: customer.id };
    for (const t of timesBetween(o.random, earliest, now, o.random.int(1, 3)))
      rows.push(activity(o.random, o.companyId, about, t));
  }
  await inBatches(rows.length, o.onBatch, async (from, size) => {
    await bulkInsert(prisma, 'Activity', ACTIVITY_COLUMNS, rows.slice(from, from + size));
  });
  return rows.length;
}
