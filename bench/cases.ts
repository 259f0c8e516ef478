// The pages the bench measures, and as whom. A case whose route answers 404 is reported as
// "missing" (its domain is not built yet) instead of stopping the run.
export type BenchRole = 'manager' | 'staff';
export type BenchCase = { role: BenchRole; path: string };

/** A word that occurs in about one lead title in twenty (LEAD_TOPICS in src/seed/names.ts). */
export const SEARCH_WORD = 'relaunch';

const managerPaths = [
  '/dashboard',
  '/leads',
  '/leads?status=QUALIFIED&sort=value&dir=desc',
  `/leads?q=${SEARCH_WORD}`,
  '/leads?page=200',
  '/customers',
  '/tasks?show=overdue',
  '/appointments',
  '/appointments/week',
];

const staffPaths = [
  '/dashboard',
  '/leads',
  '/leads?status=QUALIFIED&sort=value&dir=desc',
  '/tasks?show=overdue',
  '/appointments',
];

export const BENCH_CASES: BenchCase[] = [
  ...managerPaths.map((path) => ({ role: 'manager' as const, path })),
  ...staffPaths.map((path) => ({ role: 'staff' as const, path })),
];
