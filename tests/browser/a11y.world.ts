// The world of the accessibility walk: a company with records of every kind (so lists, the week
// view and the dashboard are not empty, with badges, today's appointments and audit entries), a
// second company (so the superuser sees company columns), and the id that stands for each route's
// `:param`, found from the route's first path segment (as the access sweep does).
import { createPasswordToken } from '../../src/account/passwordReset.ts';
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

export async function makeA11yWorld(ctx: TestContext) {
  const { make, prisma: p } = ctx;
  const { a, b, su, managerA: manager, staffA: staff, colleagueA: colleague, staffB } = await buildWorld(ctx);
  const group = await make.group(a.id, ['lead.view', 'customer.view'], { name: 'Field sales' });
  await p.groupMember.createMany({
    data: [
      { groupId: group.id, userId: staff.id },
      { groupId: group.id, userId: colleague.id },
    ],
  });

  const customer = await make.customer(a.id, {
    name: 'Dupont SA',
    email: 'contact@dupont.test',
    organisation: 'Dupont',
    phone: '+33 1 23 45 67 89',
    ownerId: staff.id,
  });
  await make.customer(a.id, { name: 'Łódź Logistics', ownerId: colleague.id });
  await make.customer(b.id, { name: 'Bravo Client', ownerId: staffB.id });

  const lead = await make.lead(a.id, staff.id, {
    title: 'Fleet renewal',
    contactName: 'Jeanne Dupont',
    email: 'jeanne@dupont.test',
    organisation: 'Dupont',
    estimatedValue: 12500,
    source: 'REFERRAL',
  });
  for (const status of ['CONTACTED', 'QUALIFIED', 'LOST'] as const)
    await make.lead(a.id, staff.id, { title: `Lead ${status.toLowerCase()}`, status });
  await make.lead(a.id, staff.id, {
    title: 'Won deal',
    status: 'WON',
    customerId: customer.id,
    convertedAt: new Date(),
  });
  await make.lead(b.id, staffB.id, { title: 'Bravo lead' });

  const yesterday = new Date(Date.now() - 24 * 3600_000);
  const task = await make.task(a.id, staff.id, {
    title: 'Send the offer',
    priority: 'HIGH',
    dueAt: yesterday,
    customerId: customer.id,
    description: 'Two-year term.',
  });
  await make.task(a.id, staff.id, {
    title: 'Call back',
    priority: 'LOW',
    status: 'IN_PROGRESS',
    dueAt: new Date(Date.now() + 3 * 24 * 3600_000),
  });
  await make.task(a.id, staff.id, { title: 'Filed', status: 'DONE', completedAt: new Date() });
  await make.task(b.id, staffB.id, { title: 'Bravo task' });

  // Today (UTC, the users' zone) at noon and late afternoon: links in the week view's today column.
  const noon = new Date();
  noon.setUTCHours(12, 0, 0, 0);
  const appointment = await make.appointment(a.id, [staff.id, colleague.id], {
    title: 'Site visit',
    startsAt: noon,
    location: 'Dupont HQ',
    customerId: customer.id,
    notes: 'Bring the samples.',
  });
  await make.appointment(a.id, [staff.id], { title: 'Review call', startsAt: new Date(noon.getTime() + 4 * 3600_000) });
  await make.appointment(a.id, [staff.id], {
    title: 'Next week planning',
    startsAt: new Date(noon.getTime() + 2 * 24 * 3600_000),
  });
  await make.appointment(b.id, [staffB.id], { title: 'Bravo meeting', startsAt: noon });
  const activity = await make.activity(a.id, staff.id, {
    summary: 'Reached the buyer',
    details: 'Wants a quote by Friday.',
    callOutcome: 'REACHED',
    durationMinutes: 12,
    leadId: lead.id,
    customerId: customer.id,
  });

  await p.auditEntry.createMany({
    data: [
      {
        companyId: a.id,
        actorId: manager.id,
        action: 'create',
        model: 'customer',
        recordId: String(customer.id),
        changes: { name: [null, 'Dupont SA'] },
      },
      {
        companyId: a.id,
        actorId: staff.id,
        action: 'update',
        model: 'lead',
        recordId: String(lead.id),
        changes: { status: ['NEW', 'CONTACTED'] },
      },
      { companyId: b.id, actorId: staffB.id, action: 'create', model: 'task', recordId: '1', changes: {} },
    ],
  });

  // A reset link (for the public reset page) of a user who is not one of the signed-in roles.
  const resetLink = await createPasswordToken(p, 'http://crm.test', colleague.id, 'reset');

  // A lead import being mapped (its preview page, the fullest of the import's pages): the staff user's own.
  const imp = await p.import.create({
    data: {
      companyId: a.id,
      userId: staff.id,
      kind: 'LEAD',
      fileName: 'spring-fair.csv',
      content: 'Title,Email,Status\nFair lead,not-an-email,New\nSecond,second@x.test,Qualified\n',
      delimiter: ',',
      encoding: 'UTF-8',
      headers: ['Title', 'Email', 'Status'],
      mapping: ['title', 'email', 'status'],
      totalRows: 2,
    },
  });

  // The staff user's own API token (its revoke page names its owner).
  const token = await p.apiToken.create({
    data: {
      userId: staff.id,
      companyId: a.id,
      name: 'Website form',
      prefix: 'crm_pat_abcd',
      tokenHash: 'hash-of-a-token',
      access: 'READ',
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });

  // A webhook endpoint of company A with a delivered and a failed try (its page shows the log).
  const webhook = await p.webhookEndpoint.create({
    data: {
      companyId: a.id,
      url: 'https://hooks.example.com/crm',
      description: 'Accounting sync',
      events: ['lead.won', 'lead.lost'],
      secretSealed: 'sealed',
      secretPrefix: 'whsec_abcd',
      deliveries: {
        create: [
          {
            companyId: a.id,
            eventId: 'evt_1',
            eventType: 'lead.won',
            attempt: 1,
            statusCode: 500,
            durationMs: 80,
            excerpt: 'Internal error',
            succeeded: false,
          },
          {
            companyId: a.id,
            eventId: 'evt_1',
            eventType: 'lead.won',
            attempt: 2,
            statusCode: 200,
            durationMs: 42,
            succeeded: true,
          },
        ],
      },
    },
  });

  /** The value for a route's `:param`, by its first path segment. */
  const ids: Record<string, string> = {
    companies: String(a.id),
    users: String(staff.id),
    groups: String(group.id),
    customers: String(customer.id),
    leads: String(lead.id),
    tasks: String(task.id),
    appointments: String(appointment.id),
    activities: String(activity.id),
    imports: String(imp.id),
    tokens: String(token.id),
    webhooks: String(webhook.id),
    password: resetLink.split('/').pop()!,
  };
  return { a, b, su, managerA: manager, staffA: staff, ids };
}

export type A11yWorld = Awaited<ReturnType<typeof makeA11yWorld>>;
