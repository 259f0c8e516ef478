// A fixed, small number of SQL statements per page, counted at the pg pool (tests/helpers/statements.ts):
// the app's route table is walked (as the access sweep does), so a new list or detail page is
// counted without editing this file. For every GET list page (/x) and detail page (/x/:id), as
// each role that may see it (superuser, account manager, staff), with full pages of rows whose
// relations (assignee, customer, attendees) differ: list page ≤ 4 statements including the
// session read (which reads the signed-in user too), detail page ≤ 3. A record page's History section
// (src/audit/history.ts, shown to those who see the audit trail) is a fixed cost on top: its entries, and
// the names they refer to (HISTORY_STATEMENTS), however many entries and references; it is measured here
// with references of every kind. It is not joined into the record's own statement: that would tie every
// domain's loader to the audit trail, and the names would still need their own look-up.
// A lead's or customer's page shows a Timeline instead (src/timeline/timeline.ts): its activities, tasks,
// appointments (a customer's leads) in one statement, the record's changes in another, and the names those
// name in a third (TIMELINE_STATEMENTS), however long the history; it is measured with full histories.
// Every statement counts, the session's too: the store moves a session's expiry at most once a
// minute (src/web/session.ts), and each measured request is the second within the minute, so it
// must cost no session write at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_STATEMENTS } from '../../src/audit/history.ts';
import { COMPANY_RESULTS_STATEMENTS, RESULTS_STATEMENTS } from '../../src/dashboard/results.ts';
import { TIMELINE_STATEMENTS } from '../../src/timeline/timeline.ts';
import type { RouteDef } from '../../src/web/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import type { Session } from '../helpers/session.ts';
import { isSessionWrite, recordStatements } from '../helpers/statements.ts';
import { makeSweepRecords } from '../tenancy/sweepRecords.ts';
import { makeWorld, type World } from '../tenancy/world.ts';

const ctx = useTestContext();
const LIST_LIMIT = 4;
const DETAIL_LIMIT = 3;
const DASHBOARD_LIMIT = 7;
const TIMEOUT = 300_000;

const isList = (r: RouteDef) =>
  r.method === 'get' &&
  r.access !== 'public' &&
  /^\/[a-z]+$/.test(r.path) &&
  !['/dashboard', '/today', '/profile'].includes(r.path);
const isDetail = (r: RouteDef) => r.method === 'get' && /^\/[a-z]+\/:id$/.test(r.path);
const segment = (path: string) => path.split('/')[1];

type Row = {
  page: string;
  role: string;
  statements: number;
  sessionWrites: number;
  sql: string[];
  history: boolean;
  timeline: boolean;
};
const measured: Row[] = [];
let recorder: ReturnType<typeof recordStatements>;

beforeAll(() => {
  recorder = recordStatements(ctx.db.pool);
});

afterAll(() => {
  // The figures, for the report: statements per page and role, and the session writes counted apart.
  const lines = measured.map(
    (r) =>
      `${r.page.padEnd(22)} ${r.role.padEnd(8)} ` +
      `${String(r.statements).padStart(3)} (+${r.sessionWrites} session write)` +
      (r.history ? ' with history' : '') +
      (r.timeline ? ' with timeline' : ''),
  );
  if (lines.length) console.log(`statements per request (session read included):\n${lines.join('\n')}`);
});

/** Full pages whose rows point at different people and customers, so a per-row query would show. */
async function fillLists(w: World) {
  const people = [w.staffA.id, w.colleagueA.id, w.managerA.id];
  const customers: { id: number }[] = [];
  for (let i = 0; i < 4; i++)
    customers.push(await ctx.make.customer(w.a.id, { name: `Count Customer ${i}`, ownerId: people[i % 3] }));
  await ctx.prisma.customer.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      companyId: w.a.id,
      name: `Bulk Customer ${i}`,
      ownerId: people[i % 3],
    })),
  });
  await ctx.prisma.lead.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      companyId: w.a.id,
      assigneeId: people[i % 2],
      title: `Count Lead ${i}`,
      customerId: customers[i % 4].id,
      estimatedValue: 1000 + i,
      createdById: people[2],
    })),
  });
  await ctx.prisma.task.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      companyId: w.a.id,
      assigneeId: people[i % 2],
      title: `Count Task ${i}`,
      customerId: customers[i % 4].id,
      dueAt: new Date(Date.now() + i * 3600_000),
    })),
  });
  for (let i = 0; i < 30; i++) {
    await ctx.make.appointment(w.a.id, [people[i % 2], people[2]], {
      title: `Count Meeting ${i}`,
      customerId: customers[i % 4].id,
      startsAt: new Date(Date.now() + (i + 2) * 3600_000),
    });
  }
  await ctx.prisma.auditEntry.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      companyId: w.a.id,
      actorId: people[i % 3],
      action: 'update',
      model: 'Lead',
      recordId: String(i + 1),
      changes: { title: ['a', 'b'] },
    })),
  });
  for (let i = 0; i < 3; i++) await ctx.make.group(w.a.id, ['lead.view'], { name: `Count Group ${i}` });
}

/** A full history on every record page, its entries pointing at people, customers and leads that differ. */
async function fillHistories(w: World, records: Record<string, { id: number }>) {
  const people = [w.staffA.id, w.colleagueA.id, w.managerA.id];
  const inA = { where: { companyId: w.a.id }, select: { id: true }, take: 12 };
  const customers = await ctx.prisma.customer.findMany(inA);
  const leads = await ctx.prisma.lead.findMany(inA);
  const models: Record<string, string> = {
    leads: 'Lead',
    customers: 'Customer',
    tasks: 'Task',
    appointments: 'Appointment',
    users: 'User',
    companies: 'Company',
    groups: 'Group',
  };
  // A full timeline on the lead's and the customer's page: activities by different authors, the lead's tasks.
  await ctx.prisma.activity.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      companyId: w.a.id,
      authorId: people[i % 3],
      kind: (['CALL', 'EMAIL', 'MEETING', 'NOTE'] as const)[i % 4],
      summary: `Count activity ${i}`,
      occurredAt: new Date(Date.now() - i * 3600_000),
      leadId: i % 2 ? records.leads.id : null,
      customerId: i % 2 ? null : records.customers.id,
    })),
  });
  const tasks = await ctx.prisma.task.findMany({ where: { companyId: w.a.id }, select: { id: true }, take: 10 });
  const taskIds = tasks.map((t) => t.id);
  await ctx.prisma.task.updateMany({ where: { id: { in: taskIds } }, data: { leadId: records.leads.id } });
  await ctx.prisma.auditEntry.createMany({
    data: Object.entries(models).flatMap(([segment, model]) =>
      Array.from({ length: 12 }, (_, i) => ({
        companyId: w.a.id,
        actorId: people[i % 3],
        action: 'update',
        model,
        recordId: String(records[segment].id),
        changes: {
          name: ['a', 'b'],
          assigneeId: [people[i % 3], people[(i + 1) % 3]],
          ownerId: [null, people[i % 3]],
          customerId: [customers[i].id, customers[(i + 1) % 12].id],
          fromLead: leads[i].id,
          attendeeIds: [[people[0]], [people[1], people[2]]],
          dueAt: ['2026-01-01T10:00:00.000Z', null],
        },
      })),
    ),
  });
}

/**
 * Statements of one GET, the second within the minute (the first is the warm-up), or null when the role may not see the
 * page.
 */
async function measure(s: Session, path: string, page: string, role: string): Promise<Row | null> {
  const warm = await s.get(path);
  if (warm.status !== 200) return null;
  const { result, statements } = await recorder.during(() => s.get(path));
  expect(result.status, `${role} ${path}`).toBe(200);
  const writes = statements.filter(isSessionWrite);
  expect(writes, `${role} ${path}: the session was rewritten within the minute`).toEqual([]);
  const history = result.text.includes('aria-labelledby="history-heading"');
  const timeline = result.text.includes('aria-labelledby="timeline-heading"');
  const row = {
    page,
    role,
    statements: statements.length,
    sessionWrites: writes.length,
    sql: statements,
    history,
    timeline,
  };
  measured.push(row);
  return row;
}

async function castOf(w: World) {
  return { superuser: await w.as(w.su), manager: await w.as(w.managerA), staff: await w.as(w.staffA) };
}

describe('statements per page, counted at the pg pool', () => {
  it(
    `list pages: at most ${LIST_LIMIT} statements, session read included, for every role that may see them`,
    async () => {
      const w = await makeWorld(ctx);
      await fillLists(w);
      const cast = await castOf(w);
      const lists = ctx.routes.filter(isList);
      expect(lists.map((r) => r.path)).toEqual(
        expect.arrayContaining([
          '/leads',
          '/customers',
          '/tasks',
          '/appointments',
          '/companies',
          '/users',
          '/groups',
          '/audit',
        ]),
      );
      const over: string[] = [];
      for (const r of lists) {
        let seen = 0;
        for (const [role, s] of Object.entries(cast)) {
          const row = await measure(s, r.path, r.path, role);
          if (!row) continue;
          seen++;
          if (row.statements > LIST_LIMIT)
            over.push(`${role} ${r.path}: ${row.statements}\n    ${row.sql.join('\n    ')}`);
        }
        expect(seen, `nobody sees ${r.path}`).toBeGreaterThan(0);
      }
      // The dashboards read the lead tally and bounded task/appointment windows: fixed, if above the list limit.
      // /dashboard adds its "Pipeline and results" figures (src/dashboard/results.ts): one statement per figure
      // for staff and managers, two for the superuser's table per company.
      const RESULTS = { superuser: COMPANY_RESULTS_STATEMENTS } as Record<string, number>;
      // The board: the tally, one page of cards per open stage, the filter choices (tests/board counts it per role).
      for (const path of [
        '/dashboard',
        '/today',
        '/appointments/week',
        '/appointments/month?tasks=1',
        '/leads/board',
      ]) {
        for (const [role, s] of Object.entries(cast)) {
          const row = await measure(s, path, path, role);
          const limit = DASHBOARD_LIMIT + (path === '/dashboard' ? (RESULTS[role] ?? RESULTS_STATEMENTS) : 0);
          if (row && row.statements > limit)
            over.push(`${role} ${path}: ${row.statements}\n    ${row.sql.join('\n    ')}`);
        }
      }
      expect(over).toEqual([]);
    },
    TIMEOUT,
  );

  const detailLimits =
    `${DETAIL_LIMIT} statements (+${HISTORY_STATEMENTS} with a History section, ` +
    `+${TIMELINE_STATEMENTS} with a Timeline)`;
  it(
    `detail pages: at most ${detailLimits}, session read included, for every role that may see them`,
    async () => {
      const w = await makeWorld(ctx);
      await fillLists(w);
      const records = await makeSweepRecords(ctx, w);
      await fillHistories(w, records);
      const cast = await castOf(w);
      const over: string[] = [];
      for (const r of ctx.routes.filter(isDetail)) {
        const record = records[segment(r.path)];
        expect(record, `no record for ${r.path} (add it to tests/tenancy/sweepRecords.ts)`).toBeDefined();
        let seen = 0;
        for (const [role, s] of Object.entries(cast)) {
          const row = await measure(s, r.path.replace(':id', String(record.id)), r.path, role);
          if (!row) continue;
          seen++;
          const limit =
            DETAIL_LIMIT + (row.history ? HISTORY_STATEMENTS : 0) + (row.timeline ? TIMELINE_STATEMENTS : 0);
          if (row.statements > limit) over.push(`${role} ${r.path}: ${row.statements}\n    ${row.sql.join('\n    ')}`);
        }
        expect(seen, `nobody sees ${r.path}`).toBeGreaterThan(0);
      }
      expect(over).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'counts what the pool receives: a request that reads nothing more than its session costs one statement',
    async () => {
      const w = await makeWorld(ctx);
      const s = await w.as(w.staffA);
      await s.get('/profile').expect(200);
      const { statements } = await recorder.during(() => s.get('/profile').expect(200));
      expect(statements[0]).toMatch(/"session"/); // the session read comes through the same pool
      // The session with the current user, their company and permissions joined in: one statement (the profile's
      // own reads, its calendar section's feed row and its reminder settings, set apart).
      const ownReads = /FROM "public"\."CalendarFeed"|"taskReminder"::text, .*FROM "public"\."User"/;
      expect(statements.filter((q) => !ownReads.test(q)).length).toBe(1);
      expect(statements.length).toBe(3);
    },
    TIMEOUT,
  );
});
