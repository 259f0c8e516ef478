// The pages the bench measures, and as whom.
export type BenchRole = 'manager' | 'staff';
export type BenchCase = {
  role: BenchRole;
  path: string;
  /** Said after the path, for pages whose path is a record's id. */
  label?: string;
  /** The case (its caseName) this one's p50 is held against instead of the bare page's. */
  baseline?: string;
  /**
   * A case (its caseName) this one's p50 is also compared with, besides the bare page's, in the same run:
   * issue 14's pages against the plain lead list; `within` is the target ratio (null: shown, no target).
   */
  against?: { name: string; within: number | null };
};

/** A word that occurs in about one lead title in twenty (LEAD_TOPICS in src/seed/names.ts). */
export const SEARCH_WORD = 'relaunch';

/** The page the bare page copies; its Done-when targets are throughput and p99 at 32 connections. */
export const PRIMARY: BenchCase = { role: 'manager', path: '/leads?status=QUALIFIED&page=3' };
export const BARE_PATH = PRIMARY.path;

/** The plain lead list (unfiltered, manager): what issue 14's board and dashboards are held against. */
export const LEAD_LIST: BenchCase = { role: 'manager', path: '/leads' };
export const caseName = (c: BenchCase) => `${c.role} ${c.path}${c.label ? ` (${c.label})` : ''}`;

/** Issue 14's target: the board and the manager's dashboard within 2× the plain lead list's p50. */
export const MONEY_P50 = 2;
const vsLeadList = (within: number | null) => ({ name: caseName(LEAD_LIST), within });

/**
 * Issue 14's pages: the board for both roles, the manager's dashboard (its default range is measured as an issue
 * 11 case below) over the last 12 months, and the report by person (compared, without a target).
 */
export const MONEY_CASES: BenchCase[] = [
  { role: 'manager', path: '/leads/board', against: vsLeadList(MONEY_P50) },
  { role: 'staff', path: '/leads/board', against: vsLeadList(MONEY_P50) },
  { role: 'manager', path: '/dashboard?range=last-12-months', against: vsLeadList(MONEY_P50) },
  { role: 'manager', path: '/reports?by=person', against: vsLeadList(null) },
];

/** Measured at 1 and at 32 connections against the bare page, at the middle data size. */
export const RATIO_CASES: BenchCase[] = [
  PRIMARY,
  { role: 'manager', path: '/dashboard', against: vsLeadList(MONEY_P50) },
  LEAD_LIST,
  ...[
    '/leads?status=QUALIFIED&sort=value&dir=desc',
    `/leads?q=${SEARCH_WORD}`,
    '/leads?page=200',
    '/customers',
    '/tasks?show=overdue',
    '/appointments',
    '/appointments/week',
  ].map((path) => ({ role: 'manager' as const, path })),
  ...['/dashboard', '/leads', PRIMARY.path, '/tasks?show=overdue', '/appointments'].map((path) => ({
    role: 'staff' as const,
    path,
  })),
  ...MONEY_CASES,
];

/** Measured at one connection at every data size, to see how each p50 grows with the company. */
export const SCALING_CASES: BenchCase[] = [
  '/leads',
  '/leads?status=QUALIFIED',
  `/leads?q=${SEARCH_WORD}`,
  '/dashboard',
].map((path) => ({ role: 'manager' as const, path }));

/** Activities the bench gives one lead and one customer (issue 13: their pages with a long history). */
export const RECORD_ACTIVITIES = 1_000;

/**
 * The record pages, known once the data is seeded: a lead with no activities (the reference), and a lead
 * and a customer with RECORD_ACTIVITIES each, held against the plain lead page's p50. Their labels all
 * contain "record page", so `--only "record page"` measures just them.
 */
export function recordCases(ids: { plainLead: number; busyLead: number; busyCustomer: number }): BenchCase[] {
  const plain: BenchCase = { role: 'manager', path: `/leads/${ids.plainLead}`, label: 'record page: plain lead' };
  const many = RECORD_ACTIVITIES.toLocaleString('en');
  return [
    plain,
    {
      role: 'manager',
      path: `/leads/${ids.busyLead}`,
      label: `record page: lead with ${many} activities`,
      baseline: caseName(plain),
    },
    {
      role: 'manager',
      path: `/customers/${ids.busyCustomer}`,
      label: `record page: customer with ${many} activities`,
      baseline: caseName(plain),
    },
  ];
}
