// The board's reads, through the scoped client (req.db): the scope adds the company and, for staff, the
// assignee to every statement, so a column, a total and a card never include a lead the user may not see.
// A fixed number of statements whatever the pipeline's size: one grouped total, one page of cards per open
// stage (each an index range of Lead_board_idx: companyId, status, expectedCloseDate, id).
import type { ScopedClient } from '../access/scope.ts';
import type { LeadStatus, Prisma } from '../generated/prisma/client.ts';
import { OPEN_STAGES, type OpenStage } from '../pipeline/stages.ts';
import { type BoardQuery, CARDS_PER_PAGE } from './schema.ts';

export type StageTotal = { count: number; value: string };
export type StageTotals = Record<LeadStatus, StageTotal>;

/** The lead conditions of the filters (the scope adds its own). */
export function boardLeadWhere(q: BoardQuery): Prisma.LeadWhereInput {
  return {
    ...(q.companyId ? { companyId: q.companyId } : {}),
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.source ? { source: q.source } : {}),
    ...(q.month ? { expectedCloseDate: { gte: q.month.from, lt: q.month.to } } : {}),
  };
}

const EMPTY: StageTotal = { count: 0, value: '0' };

/**
 * Count and value per status. Without a close month the tally answers (a few rows per company, kept exact by
 * the database's triggers); the tally has no dates, so with a month the leads of that month are grouped.
 */
export async function stageTotals(scoped: ScopedClient, q: BoardQuery): Promise<StageTotals> {
  const totals = { NEW: EMPTY, CONTACTED: EMPTY, QUALIFIED: EMPTY, WON: EMPTY, LOST: EMPTY } as StageTotals;
  if (q.month) {
    const rows = await scoped.lead.groupBy({
      by: ['status'],
      where: boardLeadWhere(q),
      _count: { _all: true },
      _sum: { estimatedValue: true },
    });
    for (const r of rows) totals[r.status] = { count: r._count._all, value: String(r._sum.estimatedValue ?? '0') };
    return totals;
  }
  const rows = await scoped.leadTally.groupBy({
    by: ['status'],
    where: {
      ...(q.companyId ? { companyId: q.companyId } : {}),
      ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
      ...(q.source ? { source: q.source } : {}),
    },
    _sum: { count: true, value: true },
  });
  for (const r of rows) totals[r.status] = { count: r._sum.count ?? 0, value: String(r._sum.value ?? '0') };
  return totals;
}

const CARD_SELECT = {
  id: true,
  title: true,
  organisation: true,
  estimatedValue: true,
  nextStep: true,
  expectedCloseDate: true,
  status: true,
  version: true,
  assignee: { select: { name: true } },
} satisfies Prisma.LeadSelect;

export type BoardCard = Prisma.LeadGetPayload<{ select: typeof CARD_SELECT }>;

/** The page of one column's cards: soonest expected close first, undated last, then by id. */
function columnCards(scoped: ScopedClient, q: BoardQuery, status: OpenStage): Promise<BoardCard[]> {
  const page = q.more === status ? q.page : 1;
  return scoped.lead.findMany({
    where: { ...boardLeadWhere(q), status },
    select: CARD_SELECT,
    orderBy: [{ expectedCloseDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    skip: (page - 1) * CARDS_PER_PAGE,
    take: CARDS_PER_PAGE,
  });
}

/** Every open column's page of cards: one statement per column, run side by side. */
export async function boardCards(scoped: ScopedClient, q: BoardQuery): Promise<Record<OpenStage, BoardCard[]>> {
  const pages = await Promise.all(OPEN_STAGES.map((s) => columnCards(scoped, q, s)));
  return Object.fromEntries(OPEN_STAGES.map((s, i) => [s, pages[i]])) as Record<OpenStage, BoardCard[]>;
}

export type BoardCompany = {
  id: number;
  name: string;
  currency: string;
  probabilityNew: number;
  probabilityContacted: number;
  probabilityQualified: number;
};

/** A superuser's companies (the picker), with each one's currency and probabilities: one statement. */
export function boardCompanies(scoped: ScopedClient): Promise<BoardCompany[]> {
  return scoped.company.findMany({
    select: {
      id: true,
      name: true,
      currency: true,
      probabilityNew: true,
      probabilityContacted: true,
      probabilityQualified: true,
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}
