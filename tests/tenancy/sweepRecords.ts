// The records the access sweep aims at: one of each model in company A, found from a route's
// first path segment. Each says who may read it (GET /x/:id) and who may change it (every other
// route with its id) among the sweep's cast, what text would leak it, and how to read its row.
import type { TestContext } from '../helpers/context.ts';
import type { World } from './world.ts';

export type CastMember = 'managerA' | 'staffA' | 'colleagueA' | 'managerB' | 'staffB';
export const CAST: CastMember[] = ['managerA', 'staffA', 'colleagueA', 'managerB', 'staffB'];

export type SweepRecord = {
  id: number;
  /** Text that must not appear in an outsider's answer. */
  markers: string[];
  readers: CastMember[];
  writers: CastMember[];
  /** The row and what hangs off it, to compare before and after. */
  read: () => Promise<unknown>;
};

/**
 * Creates the records of company A (or, with side 'B', of company B, owned by its staff user) and
 * returns them by the path segment that addresses them. The reader/writer lists speak of A's records.
 */
export async function makeSweepRecords(
  ctx: TestContext,
  w: World,
  side: 'A' | 'B' = 'A',
): Promise<Record<string, SweepRecord>> {
  const p = ctx.prisma;
  const a = side === 'A' ? w.a.id : w.b.id;
  const owner = side === 'A' ? w.staffA : w.staffB;
  const t = side === 'A' ? 'Sweep' : 'Broom'; // no marker of one side inside a marker of the other
  const target = await ctx.make.staff(a, { name: `Ursula ${t}target`, email: `ursula.sweep${side}@alpha.test` });
  const group = await ctx.make.group(a, ['lead.view'], { name: `${t} Circle Alpha` });
  await p.groupMember.create({ data: { groupId: group.id, userId: owner.id } });
  const customer = await ctx.make.customer(a, {
    name: `${t} Customer Alphaco`,
    email: `sweep-customer${side}@alphaco.test`,
    ownerId: owner.id,
  });
  const lead = await ctx.make.lead(a, owner.id, {
    title: `${t} Lead Zephyr`,
    contactName: `${t} Contact Quill`,
    customerId: customer.id,
  });
  const task = await ctx.make.task(a, owner.id, { title: `${t} Task Marigold`, customerId: customer.id });
  const appointment = await ctx.make.appointment(a, [owner.id], {
    title: `${t} Meeting Juniper`,
    customerId: customer.id,
  });
  // About the owner's lead, which has a customer: the customer makes it the whole company's to read; only its
  // author (the owner) and the account manager may change it (the scope's Activity rules).
  const activity = await ctx.make.activity(a, owner.id, {
    summary: `${t} Activity Bergamot`,
    details: `${t} details Saffron`,
    leadId: lead.id,
    customerId: customer.id,
  });
  // The owner's API token: theirs and their account manager's to revoke (the scope's ApiToken rule).
  const token = await p.apiToken.create({
    data: {
      userId: owner.id,
      companyId: a,
      name: `${t} Token Verbena`,
      prefix: 'crm_pat_swee',
      tokenHash: `sweep-${side}`,
      access: 'READ',
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  // A finished lead import by the owner: theirs and their account manager's to read and undo.
  const imp = await p.import.create({
    data: {
      companyId: a,
      userId: owner.id,
      kind: 'LEAD',
      status: 'DONE',
      fileName: `${t} import Tamarind.csv`,
      delimiter: ',',
      encoding: 'UTF-8',
      headers: ['title'],
      mapping: ['title'],
      finishedAt: new Date(),
    },
  });
  // A webhook endpoint of the company, with one try in its log: its account manager's alone.
  const webhook = await p.webhookEndpoint.create({
    data: {
      companyId: a,
      url: `https://hooks.example.com/${t}-Sorrel`,
      description: `${t} Hook Sorrel`,
      events: ['lead.won'],
      secretSealed: 'sealed',
      secretPrefix: 'whsec_swee',
      deliveries: {
        create: {
          companyId: a,
          eventId: `evt_${t}`,
          eventType: 'lead.won',
          attempt: 1,
          durationMs: 5,
          succeeded: false,
        },
      },
    },
  });
  const manager: CastMember[] = ['managerA'];
  const ownerAndManager: CastMember[] = ['managerA', 'staffA'];
  const wholeCompany: CastMember[] = ['managerA', 'staffA', 'colleagueA'];
  return {
    companies: {
      id: a,
      markers: [side === 'A' ? w.a.name : w.b.name],
      readers: wholeCompany,
      writers: [],
      read: () => p.company.findUnique({ where: { id: a } }),
    },
    users: {
      id: target.id,
      markers: [target.name, target.email],
      readers: manager,
      writers: manager,
      read: () =>
        p.user.findUnique({ where: { id: target.id }, include: { memberships: true, passwordResetTokens: true } }),
    },
    groups: {
      id: group.id,
      markers: [group.name],
      readers: manager,
      writers: manager,
      read: () => p.group.findUnique({ where: { id: group.id }, include: { members: true } }),
    },
    customers: {
      id: customer.id,
      markers: [customer.name, customer.email],
      readers: wholeCompany,
      writers: wholeCompany,
      read: () => p.customer.findUnique({ where: { id: customer.id } }),
    },
    leads: {
      id: lead.id,
      markers: [lead.title, lead.contactName],
      readers: ownerAndManager,
      writers: ownerAndManager,
      read: () => p.lead.findUnique({ where: { id: lead.id } }),
    },
    tasks: {
      id: task.id,
      markers: [task.title],
      readers: ownerAndManager,
      writers: ownerAndManager,
      read: () => p.task.findUnique({ where: { id: task.id } }),
    },
    appointments: {
      id: appointment.id,
      markers: [appointment.title],
      readers: ownerAndManager,
      writers: ownerAndManager,
      read: () => p.appointment.findUnique({ where: { id: appointment.id }, include: { attendees: true } }),
    },
    tokens: {
      id: token.id,
      markers: [token.name],
      readers: ownerAndManager,
      writers: ownerAndManager,
      read: () => p.apiToken.findUnique({ where: { id: token.id } }),
    },
    activities: {
      id: activity.id,
      markers: [activity.summary, activity.details],
      readers: wholeCompany,
      writers: ownerAndManager,
      read: () => p.activity.findUnique({ where: { id: activity.id } }),
    },
    imports: {
      id: imp.id,
      markers: [imp.fileName],
      readers: ownerAndManager,
      writers: ownerAndManager,
      read: () => p.import.findUnique({ where: { id: imp.id }, include: { rows: true } }),
    },
    webhooks: {
      id: webhook.id,
      markers: [webhook.url, webhook.description],
      readers: manager,
      writers: manager,
      read: () => p.webhookEndpoint.findUnique({ where: { id: webhook.id }, include: { deliveries: true } }),
    },
  };
}

/** Row counts of every table a request could write to, so a refused request provably wrote nothing anywhere. */
export async function tableCounts(ctx: TestContext) {
  const p = ctx.prisma;
  return Promise.all([
    p.company.count(),
    p.user.count(),
    p.group.count(),
    p.groupMember.count(),
    p.customer.count(),
    p.lead.count(),
    p.task.count(),
    p.appointment.count(),
    p.appointmentAttendee.count(),
    p.activity.count(),
    p.auditEntry.count(),
    p.passwordResetToken.count(),
    p.apiToken.count(),
    p.import.count(),
    p.importRow.count(),
    p.importMapping.count(),
    p.webhookEndpoint.count(),
    p.webhookDelivery.count(),
  ]);
}

/** A form with every field a crafted request might try. */
export function craftedForm(w: World): Record<string, string> {
  return {
    title: 'Hacked title',
    name: 'Hacked name',
    email: 'hacked@evil.test',
    contactName: 'Hacked',
    notes: 'hacked',
    version: '1',
    role: 'SUPERUSER',
    companyId: String(w.b.id),
    active: 'on',
    status: 'WON',
    priority: 'HIGH',
    assigneeId: String(w.staffB.id),
    ownerId: String(w.staffB.id),
    attendeeIds: String(w.staffB.id),
    memberIds: String(w.staffB.id),
    groupIds: '1',
    permissions: 'lead.delete',
    slug: 'hacked',
    timeZone: 'UTC',
    detach: 'on',
    confirm: 'yes',
    startsAt: '2030-01-01T10:00',
    endsAt: '2030-01-01T11:00',
    dueAt: '2030-01-01T10:00',
    source: 'OTHER',
  };
}
