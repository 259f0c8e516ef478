// The board's query string: its filters (assignee, source, expected close month, a superuser's company)
// and which column shows which page of cards. Read leniently: a value the board cannot use is dropped
// (the unfiltered board), and the month field says why beside itself; nothing here answers 4xx or 500.
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { LeadSource } from '../generated/prisma/client.ts';
import { LEAD_SOURCES } from '../lead/fields.ts';
import { OPEN_STAGES, type OpenStage } from '../pipeline/stages.ts';

/** Cards per column and page: the first 50, then "Show more" pages of 50 (one column at a time). */
export const CARDS_PER_PAGE = 50;
/** A page number past this is not a board anyone reads; the column still answers (empty) quickly. */
const MAX_PAGE = 10_000;

export type BoardQuery = {
  assigneeId?: number;
  source?: LeadSource;
  /** 'yyyy-mm', the expected close month; its first day and the next month's (UTC calendar dates). */
  month?: { key: string; from: Date; to: Date };
  companyId?: number;
  /** The column paged past its first cards, and its page (1 = the first 50). */
  more?: OpenStage;
  page: number;
  errors: { month?: string };
};

/** One query value as a string; a repeated parameter (an array) or a nested one is not a value. */
function one(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim() : '';
}

function idOf(raw: unknown): number | undefined {
  const s = one(raw);
  return /^[1-9]\d{0,8}$/.test(s) ? Number(s) : undefined;
}

function monthOf(raw: string): BoardQuery['month'] | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(raw);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1900 || year > 9999) return null;
  return { key: raw, from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) };
}

export function parseBoardQuery(query: Record<string, unknown>, user: CurrentUser): BoardQuery {
  const out: BoardQuery = { page: 1, errors: {} };
  // The assignee filter only for those who see others' leads (staff see their own through the scope anyway).
  if (seesOthersRows(user)) out.assigneeId = idOf(query.assigneeId);
  if (spansCompanies(user)) out.companyId = idOf(query.companyId);
  const source = one(query.source);
  if ((LEAD_SOURCES as readonly string[]).includes(source)) out.source = source as LeadSource;
  const month = one(query.month);
  if (month) {
    const parsed = monthOf(month);
    if (parsed) out.month = parsed;
    else out.errors.month = 'Enter a month as year and month, for example 2026-11. The board shows every month.';
  }
  const more = one(query.more);
  const page = idOf(query.page);
  if ((OPEN_STAGES as readonly string[]).includes(more) && page && page > 1) {
    out.more = more as OpenStage;
    out.page = Math.min(page, MAX_PAGE);
  }
  return out;
}

/** The board's filters as query parameters (the column paging left out), for links and returnTo. */
export function filterParams(q: BoardQuery): Record<string, string> {
  const p: Record<string, string> = {};
  if (q.companyId) p.companyId = String(q.companyId);
  if (q.assigneeId) p.assigneeId = String(q.assigneeId);
  if (q.source) p.source = q.source;
  if (q.month) p.month = q.month.key;
  return p;
}

export function hrefOf(path: string, params: Record<string, string>): string {
  const s = new URLSearchParams(params).toString();
  return s ? `${path}?${s}` : path;
}
