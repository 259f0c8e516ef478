// The demo companies "Acme Demo" (GBP, its own win probabilities) and the smaller "Nordwind Demo" (EUR): each
// an account manager, staff in the default Staff group, and their customers, leads (won and lost ones over
// the last 12 months, some converted), tasks and appointments (some on leads), and the calls, emails,
// meetings and notes logged on them over the last weeks; plus a demo superuser when the database has none.
// All of it in one transaction: a failure leaves nothing behind.
import { hashPassword } from '../account/passwords.ts';
import { DEFAULT_STAFF_GROUP } from '../access/permissions.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { seedActivities } from './activities.ts';
import { type LeadRef, seedAppointments, seedCustomers, seedTasks } from './builders.ts';
import { seedLeads } from './leads.ts';
import { createRandom, type Random } from './random.ts';

type Account = { readonly name: string; readonly email: string };
/** A demo company: its name, currency, win probabilities (unset: the defaults) and people. */
export type DemoCompanySpec = {
  readonly companyName: string;
  readonly slug: string;
  readonly currency: string;
  readonly probabilities?: { probabilityNew: number; probabilityContacted: number; probabilityQualified: number };
  readonly timeZone: string;
  readonly manager: Account;
  readonly staff: readonly Account[];
};

const ACME = {
  companyName: 'Acme Demo',
  slug: 'acme-demo',
  currency: 'GBP',
  // Not the defaults (10/20/50), so the weighted pipeline shows the company's own.
  probabilities: { probabilityNew: 5, probabilityContacted: 25, probabilityQualified: 60 },
  timeZone: 'Europe/London',
  manager: { name: 'Margaret Holt', email: 'margaret.holt@acme-demo.example' },
  staff: [
    { name: 'Olivia Bennett', email: 'olivia.bennett@acme-demo.example' },
    { name: 'Jonas Fischer', email: 'jonas.fischer@acme-demo.example' },
    { name: 'Priya Patel', email: 'priya.patel@acme-demo.example' },
    { name: 'Mateo Garcia', email: 'mateo.garcia@acme-demo.example' },
    { name: 'Freya Lindqvist', email: 'freya.lindqvist@acme-demo.example' },
    { name: 'Kenji Tanaka', email: 'kenji.tanaka@acme-demo.example' },
    { name: 'Clara Weber', email: 'clara.weber@acme-demo.example' },
    { name: 'Samuel Okafor', email: 'samuel.okafor@acme-demo.example' },
    { name: 'Nora Doyle', email: 'nora.doyle@acme-demo.example' },
    { name: 'Tomasz Novak', email: 'tomasz.novak@acme-demo.example' },
  ],
} as const satisfies DemoCompanySpec;

/**
 * A second, smaller company in another currency with the default probabilities: a superuser's money pages
 * show each company in its own currency, never one sum across both.
 */
const NORDWIND = {
  companyName: 'Nordwind Demo',
  slug: 'nordwind-demo',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  manager: { name: 'Lena Hoffmann', email: 'lena.hoffmann@nordwind-demo.example' },
  staff: [
    { name: 'Felix Wagner', email: 'felix.wagner@nordwind-demo.example' },
    { name: 'Sofia Rossi', email: 'sofia.rossi@nordwind-demo.example' },
  ],
} as const satisfies DemoCompanySpec;

export const DEMO = {
  ...ACME,
  /** Printed by the seed command; not in the common-password list (see the seed tests). */
  password: 'demo-password-2026',
  superuser: { name: 'Demo Superuser', email: 'admin@crm-demo.example' },
  second: NORDWIND,
} as const;

export type DemoSizes = { staff: number; customers: number; leads: number; tasks: number; appointments: number };
export const DEMO_SIZES: DemoSizes = { staff: 3, customers: 50, leads: 200, tasks: 100, appointments: 40 };
export const SECOND_SIZES: DemoSizes = { staff: 2, customers: 20, leads: 80, tasks: 30, appointments: 12 };

export class DemoSeedError extends Error {
  expected = true;
}

type Person = { id: number; name: string; email: string };
export type DemoCompanySummary = {
  company: { id: number; name: string; slug: string; currency: string };
  manager: Person;
  staff: Person[];
  counts: DemoSizes & {
    overdueTasks: number;
    doneTasks: number;
    upcomingAppointments: number;
    attendees: number;
    activities: number;
    leadTasks: number;
    leadAppointments: number;
  };
};
/** The first company ("Acme Demo", sized by `sizes`) at the top, the second under `second`. */
export type DemoSummary = DemoCompanySummary & {
  second: DemoCompanySummary;
  /** created: false when a superuser existed already (then `email` is null). */
  superuser: { created: boolean; email: string | null };
  reset: boolean;
};

export type SeedDemoOptions = {
  /** The first company's sizes (the bench grows it); the second keeps SECOND_SIZES. */
  sizes?: Partial<DemoSizes>;
  /** Delete the existing demo companies first (otherwise their presence is refused). */
  reset?: boolean;
  seed?: number;
  now?: Date;
  onProgress?: (message: string) => void;
};

export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const sizes = { ...DEMO_SIZES, ...options.sizes };
  if (sizes.staff < 1 || sizes.staff > DEMO.staff.length)
    throw new DemoSeedError(`The demo has 1 to ${DEMO.staff.length} staff users.`);
  const now = options.now ?? new Date();
  const random = createRandom(options.seed);
  const log = options.onProgress ?? (() => {});
  const specs: [DemoCompanySpec, DemoSizes][] = [
    [DEMO, sizes],
    [DEMO.second, SECOND_SIZES],
  ];
  const existing = await prisma.company.findMany({
    where: { slug: { in: specs.map(([spec]) => spec.slug) } },
    orderBy: { id: 'asc' },
  });
  if (existing.length && !options.reset) {
    throw new DemoSeedError(
      `The demo company "${existing[0].name}" (slug ${existing[0].slug}) already exists; nothing was changed. ` +
        'Run `npm run db:seed -- --reset` to delete the demo companies and seed them again.',
    );
  }
  const emails = specs.flatMap(([spec, s]) => [
    spec.manager.email,
    ...spec.staff.slice(0, s.staff).map((p) => p.email),
  ]);
  const passwordHash = await hashPassword(DEMO.password);

  return prisma.$transaction(
    async (tx) => {
      for (const company of existing) {
        log(`Deleting the existing demo company "${company.name}" …`);
        await removeDemoCompany(tx, company.id);
      }
      const taken = await tx.user.findMany({ where: { email: { in: emails } }, select: { email: true } });
      if (taken.length) {
        throw new DemoSeedError(
          `These demo emails belong to accounts outside the demo company: ` +
            `${taken.map((t) => t.email).join(', ')}. Nothing was changed.`,
        );
      }
      const superuser = await ensureSuperuser(tx, passwordHash);
      const shared = { random, now, passwordHash, log };
      const first = await seedCompany(tx, DEMO, sizes, shared);
      const second = await seedCompany(tx, DEMO.second, SECOND_SIZES, shared);
      return { ...first, second, superuser, reset: existing.length > 0 };
    },
    { timeout: 15 * 60_000, maxWait: 10_000 },
  );
}

/** One demo company: its users, customers, leads, tasks, appointments and activities. */
async function seedCompany(
  tx: Prisma.TransactionClient,
  spec: DemoCompanySpec,
  sizes: DemoSizes,
  shared: { random: Random; now: Date; passwordHash: string; log: (message: string) => void },
): Promise<DemoCompanySummary> {
  const { random, now, passwordHash } = shared;
  const log = (m: string) => shared.log(`${spec.companyName}: ${m}`);
  const company = await tx.company.create({
    data: { name: spec.companyName, slug: spec.slug, currency: spec.currency, ...spec.probabilities },
  });
  const group = await tx.group.create({
    data: { companyId: company.id, name: DEFAULT_STAFF_GROUP.name, permissions: DEFAULT_STAFF_GROUP.permissions },
  });
  const userData = (p: Account, role: 'ACCOUNT_MANAGER' | 'STAFF') => ({
    name: p.name,
    email: p.email,
    role,
    companyId: company.id,
    passwordHash,
    timeZone: spec.timeZone,
  });
  const select = { id: true, name: true, email: true } as const;
  const manager = await tx.user.create({ data: userData(spec.manager, 'ACCOUNT_MANAGER'), select });
  const staff: Person[] = [];
  for (const p of spec.staff.slice(0, sizes.staff))
    staff.push(await tx.user.create({ data: userData(p, 'STAFF'), select }));
  await tx.groupMember.createMany({ data: staff.map((s) => ({ groupId: group.id, userId: s.id })) });

  const userIds = [manager.id, ...staff.map((s) => s.id)];
  // Staff carry most of the work; the manager keeps a few leads and tasks of their own.
  const assigneeIds = [...staff.map((s) => s.id), ...staff.map((s) => s.id), manager.id];
  const companyId = company.id;
  const progress = (what: string) => (done: number, total: number) => {
    if (total > 5_000) log(`  ${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
  };
  log(`creating ${sizes.customers} customers …`);
  const customerIds = await seedCustomers(tx, {
    companyId,
    random,
    now,
    ownerIds: userIds,
    count: sizes.customers,
    onBatch: progress('customers'),
  });
  log(`creating ${sizes.leads} leads …`);
  await seedLeads(tx, {
    companyId,
    random,
    now,
    assigneeIds,
    customerIds,
    count: sizes.leads,
    createdById: manager.id,
    timeZone: spec.timeZone,
    onBatch: progress('leads'),
  });
  const leads: LeadRef[] = await tx.lead.findMany({
    where: { companyId },
    select: { id: true, assigneeId: true, customerId: true, status: true, createdAt: true, convertedAt: true },
    orderBy: { id: 'asc' },
  });
  const openLeads = leads.filter((l) => l.status === 'NEW' || l.status === 'CONTACTED' || l.status === 'QUALIFIED');
  log(`creating ${sizes.tasks} tasks …`);
  await seedTasks(tx, {
    companyId,
    random,
    now,
    assigneeIds,
    customerIds,
    count: sizes.tasks,
    createdById: manager.id,
    leads: openLeads,
    onBatch: progress('tasks'),
  });
  log(`creating ${sizes.appointments} appointments …`);
  await seedAppointments(tx, {
    companyId,
    random,
    now,
    userIds,
    customerIds,
    count: sizes.appointments,
    leads: openLeads,
    onBatch: progress('appointments'),
  });
  log('logging calls, emails, meetings and notes on leads and customers …');
  const customers = await tx.customer.findMany({
    where: { companyId },
    select: { id: true, ownerId: true },
    orderBy: { id: 'asc' },
  });
  const activities = await seedActivities(tx, {
    companyId,
    random,
    now,
    leads,
    customers,
    onBatch: progress('activities'),
  });

  // One after the other: a transaction has one connection.
  const overdueTasks = await tx.task.count({ where: { companyId, status: { not: 'DONE' }, dueAt: { lt: now } } });
  const doneTasks = await tx.task.count({ where: { companyId, status: 'DONE' } });
  const upcomingAppointments = await tx.appointment.count({ where: { companyId, startsAt: { gte: now } } });
  const attendees = await tx.appointmentAttendee.count({ where: { appointment: { companyId } } });
  const leadTasks = await tx.task.count({ where: { companyId, leadId: { not: null } } });
  const leadAppointments = await tx.appointment.count({ where: { companyId, leadId: { not: null } } });
  return {
    company: { id: company.id, name: company.name, slug: company.slug, currency: company.currency },
    manager,
    staff,
    counts: {
      ...sizes,
      overdueTasks,
      doneTasks,
      upcomingAppointments,
      attendees,
      activities,
      leadTasks,
      leadAppointments,
    },
  };
}

/** Creates the demo superuser when the database has no superuser at all. */
async function ensureSuperuser(tx: Prisma.TransactionClient, passwordHash: string): Promise<DemoSummary['superuser']> {
  if ((await tx.user.count({ where: { role: 'SUPERUSER' } })) > 0) return { created: false, email: null };
  if (await tx.user.findUnique({ where: { email: DEMO.superuser.email } })) return { created: false, email: null };
  await tx.user.create({ data: { ...DEMO.superuser, role: 'SUPERUSER', passwordHash, timeZone: DEMO.timeZone } });
  return { created: true, email: DEMO.superuser.email };
}

/** Deletes a company and everything it owns (children first: leads, tasks and attendees restrict their users). */
export async function removeDemoCompany(tx: Prisma.TransactionClient, companyId: number): Promise<void> {
  await tx.activity.deleteMany({ where: { companyId } });
  await tx.appointmentAttendee.deleteMany({ where: { appointment: { companyId } } });
  await tx.appointment.deleteMany({ where: { companyId } });
  await tx.task.deleteMany({ where: { companyId } });
  await tx.lead.deleteMany({ where: { companyId } });
  await tx.customer.deleteMany({ where: { companyId } });
  await tx.auditEntry.deleteMany({ where: { companyId } });
  await tx.group.deleteMany({ where: { companyId } });
  await tx.user.deleteMany({ where: { companyId } });
  await tx.company.delete({ where: { id: companyId } });
}
