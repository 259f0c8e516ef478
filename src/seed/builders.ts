// Bulk builders for demo and benchmark data: rows of one company, inserted in batches of 5,000
// (one statement each, see bulk.ts) so 100,000 leads take seconds, not minutes. Used by
// `npm run db:seed`, `npm run bench` and the seed tests. The leads' builder is in leads.ts, the
// activities' in activities.ts.
import type { Prisma } from '../generated/prisma/client.ts';
import { bulkInsert, type Column } from './bulk.ts';
import {
  APPOINTMENT_TOPICS,
  CITIES,
  FIRST_NAMES,
  LAST_NAMES,
  LOCATIONS,
  NOTES,
  STREETS,
  TASK_TOPICS,
  emailLocalPart,
  organisationName,
} from './names.ts';
import type { Random } from './random.ts';

/** The client or a transaction's client. */
export type Db = Prisma.TransactionClient;

export const BATCH_SIZE = 5_000;
export const DAY = 24 * 3600_000;

export type Common = { companyId: number; random: Random; now?: Date; onBatch?: (done: number, total: number) => void };

// The rows as inserted: every column the builders set (updatedAt has no database default).
export type Stamps = { createdAt: Date; updatedAt: Date };
type CustomerRow = Omit<Prisma.CustomerCreateManyInput, 'createdAt' | 'updatedAt'> & Stamps;
type TaskRow = Omit<Prisma.TaskCreateManyInput, 'createdAt' | 'updatedAt'> & Stamps;
type AppointmentRow = Omit<Prisma.AppointmentCreateManyInput, 'createdAt' | 'updatedAt'> & Stamps;

const CUSTOMER_COLUMNS: Column<CustomerRow>[] = [
  ['companyId', 'int'],
  ['name', 'text'],
  ['email', 'text'],
  ['phone', 'text'],
  ['phoneKey', 'text'],
  ['organisation', 'text'],
  ['address', 'text'],
  ['notes', 'text'],
  ['ownerId', 'int'],
  ['createdAt', 'timestamp'],
  ['updatedAt', 'timestamp'],
];
const TASK_COLUMNS: Column<TaskRow>[] = [
  ['companyId', 'int'],
  ['title', 'text'],
  ['description', 'text'],
  ['customerId', 'int'],
  ['leadId', 'int'],
  ['assigneeId', 'int'],
  ['createdById', 'int'],
  ['dueAt', 'timestamp'],
  ['priority', { enum: 'TaskPriority' }],
  ['status', { enum: 'TaskStatus' }],
  ['completedAt', 'timestamp'],
  ['createdAt', 'timestamp'],
  ['updatedAt', 'timestamp'],
];
const APPOINTMENT_COLUMNS: Column<AppointmentRow>[] = [
  ['companyId', 'int'],
  ['title', 'text'],
  ['customerId', 'int'],
  ['leadId', 'int'],
  ['startsAt', 'timestamp'],
  ['endsAt', 'timestamp'],
  ['location', 'text'],
  ['notes', 'text'],
  ['organiserId', 'int'],
  ['createdAt', 'timestamp'],
  ['updatedAt', 'timestamp'],
];

export async function inBatches(
  count: number,
  onBatch: Common['onBatch'],
  insert: (from: number, size: number) => Promise<void>,
): Promise<void> {
  for (let from = 0; from < count; from += BATCH_SIZE) {
    const size = Math.min(BATCH_SIZE, count - from);
    await insert(from, size);
    onBatch?.(from + size, count);
  }
}

export function person(random: Random) {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { first, last, name: `${first} ${last}` };
}

export function phone(random: Random): string {
  return `+44 20 ${random.int(1000, 9999)} ${random.int(1000, 9999)}`;
}

/**
 * The phone key (duplicate detection, src/duplicate/keys.ts) of a number made by phone() above: written in
 * international form, its E.164 is "+" and its digits, which is what phoneKeyOf returns for it (checked in
 * tests/duplicate/detect.test.ts) without parsing every seeded number (about 3 s per 100,000 with libphonenumber-js).
 */
export const seededPhoneKey = (phone: string): string => `+${phone.replace(/\D/g, '')}`;

/** A time on a working day hour, `days` from `now` (negative: in the past), on a quarter hour. */
function workingTime(now: Date, days: number, random: Random): Date {
  const d = new Date(now.getTime() + days * DAY);
  d.setUTCHours(random.int(8, 16), random.pick([0, 15, 30, 45]), 0, 0);
  return d;
}

/** The UTC midnight of a time's UTC calendar day: how a date column (@db.Date) is read and written. */
export function calendarDay(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
}

/** Customers of the company, owned by `ownerIds`; returns their ids. */
export async function seedCustomers(prisma: Db, o: Common & { ownerIds: number[]; count: number }): Promise<number[]> {
  const now = o.now ?? new Date();
  const ids: number[] = [];
  await inBatches(o.count, o.onBatch, async (from, size) => {
    const data: CustomerRow[] = [];
    for (let i = 0; i < size; i++) {
      const p = person(o.random);
      const organisation = organisationName(from + i);
      const domain = organisation.split(' ')[0].toLowerCase();
      data.push({
        companyId: o.companyId,
        name: o.random.chance(0.6) ? organisation : p.name,
        email: `${emailLocalPart(p.first, p.last)}@${domain}.example`,
        phone: phone(o.random),
        organisation,
        address: `${o.random.int(1, 220)} ${o.random.pick(STREETS)}, ${o.random.pick(CITIES)}`,
        notes: o.random.pick(NOTES),
        ownerId: o.random.pick(o.ownerIds),
        createdAt: new Date(now.getTime() - o.random.int(30, 720) * DAY),
        updatedAt: now,
      });
    }
    for (const row of data) row.phoneKey = seededPhoneKey(row.phone ?? '');
    ids.push(...(await bulkInsert(prisma, 'Customer', CUSTOMER_COLUMNS, data, true)));
  });
  return ids;
}

const TASK_STATUSES = [
  ['OPEN', 50],
  ['IN_PROGRESS', 20],
  ['DONE', 30],
] as const;
const PRIORITIES = [
  ['LOW', 25],
  ['NORMAL', 55],
  ['HIGH', 20],
] as const;

/**
 * Tasks due from a month ago to six weeks ahead: open ones in the past are overdue; done ones carry their completion
 * time.
 */
export async function seedTasks(
  prisma: Db,
  o: Common & {
    assigneeIds: number[];
    customerIds: number[];
    count: number;
    createdById?: number;
    /** Open leads: about one task in four follows one of them up (its assignee's, on its customer if any). */
    leads?: LeadRef[];
  },
): Promise<number> {
  const now = o.now ?? new Date();
  const leads = o.leads ?? [];
  await inBatches(o.count, o.onBatch, async (_from, size) => {
    const data: TaskRow[] = [];
    for (let i = 0; i < size; i++) {
      const lead = leads.length > 0 && o.random.chance(0.25) ? o.random.pick(leads) : null;
      const status = o.random.weighted(TASK_STATUSES);
      const dueAt = o.random.chance(0.05) ? null : workingTime(now, o.random.int(-30, 42), o.random);
      const createdAt = new Date(Math.min(now.getTime(), (dueAt ?? now).getTime()) - o.random.int(1, 20) * DAY);
      const completedAt =
        status === 'DONE'
          ? new Date(Math.min(now.getTime() - 3600_000, (dueAt ?? now).getTime() + o.random.int(-3, 2) * DAY))
          : null;
      data.push({
        companyId: o.companyId,
        title: o.random.pick(TASK_TOPICS),
        description: o.random.pick(NOTES),
        ...(lead
          ? { customerId: lead.customerId, leadId: lead.id, assigneeId: lead.assigneeId }
          : {
              customerId: o.customerIds.length > 0 && o.random.chance(0.6) ? o.random.pick(o.customerIds) : null,
              leadId: null,
              assigneeId: o.random.pick(o.assigneeIds),
            }),
        createdById: o.createdById ?? null,
        dueAt,
        priority: o.random.weighted(PRIORITIES),
        status,
        completedAt: completedAt && completedAt < createdAt ? createdAt : completedAt,
        createdAt,
        updatedAt: completedAt ?? createdAt,
      });
    }
    await bulkInsert(prisma, 'Task', TASK_COLUMNS, data);
  });
  return o.count;
}

/** Appointments from a month ago to a month ahead, each with one to three attendees (the first organises). */
export async function seedAppointments(
  prisma: Db,
  o: Common & {
    userIds: number[];
    customerIds: number[];
    count: number;
    /** Open leads: about one appointment in five is a meeting on one of them, organised by its assignee. */
    leads?: LeadRef[];
  },
): Promise<number> {
  const now = o.now ?? new Date();
  const leads = o.leads ?? [];
  await inBatches(o.count, o.onBatch, async (_from, size) => {
    const data: AppointmentRow[] = [];
    const attendeeLists: number[][] = [];
    for (let i = 0; i < size; i++) {
      const lead = leads.length > 0 && o.random.chance(0.2) ? o.random.pick(leads) : null;
      const startsAt = workingTime(now, o.random.int(-30, 30), o.random);
      const sampled = o.random.sample(
        o.userIds,
        o.random.weighted([
          [1, 30],
          [2, 45],
          [3, 25],
        ] as const),
      );
      // A lead's meeting is organised by its assignee (the first attendee).
      const attendees = lead
        ? [lead.assigneeId, ...sampled.filter((id) => id !== lead.assigneeId)].slice(0, Math.max(1, sampled.length))
        : sampled;
      attendeeLists.push(attendees);
      data.push({
        companyId: o.companyId,
        title: o.random.pick(APPOINTMENT_TOPICS),
        customerId: lead
          ? lead.customerId
          : o.customerIds.length > 0 && o.random.chance(0.85)
            ? o.random.pick(o.customerIds)
            : null,
        leadId: lead?.id ?? null,
        startsAt,
        endsAt: new Date(startsAt.getTime() + o.random.pick([30, 45, 60, 90]) * 60_000),
        location: o.random.pick(LOCATIONS),
        notes: o.random.pick(NOTES),
        organiserId: attendees[0],
        createdAt: new Date(Math.min(now.getTime(), startsAt.getTime() - o.random.int(2, 20) * DAY)),
        updatedAt: now,
      });
    }
    const ids = await bulkInsert(prisma, 'Appointment', APPOINTMENT_COLUMNS, data, true);
    const links = ids.flatMap((appointmentId, i) => attendeeLists[i].map((userId) => ({ appointmentId, userId })));
    await bulkInsert(
      prisma,
      'AppointmentAttendee',
      [
        ['appointmentId', 'int'],
        ['userId', 'int'],
      ],
      links,
    );
  });
  return o.count;
}

/** What the task, appointment and activity builders need to know of a lead. */
export type LeadRef = {
  id: number;
  assigneeId: number;
  customerId: number | null;
  status: string;
  createdAt: Date;
  convertedAt: Date | null;
};
/** What the activity builder needs to know of a customer. */
export type CustomerRef = { id: number; ownerId: number | null };
