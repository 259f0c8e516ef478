// The pages the bench measures, and as whom.
export type BenchRole = 'manager' | 'staff';
export type BenchCase = { role: BenchRole; path: string };

/** A word that occurs in about one lead title in twenty (LEAD_TOPICS in src/seed/names.ts). */
export const SEARCH_WORD = 'relaunch';

/** The page the bare page copies; its Done-when targets are throughput and p99 at 32 connections. */
export const PRIMARY: BenchCase = { role: 'manager', path: '/leads?status=QUALIFIED&page=3' };
export const BARE_PATH = PRIMARY.path;

/** Measured at 1 and at 32 connections against the bare page, at the middle data size. */
export const RATIO_CASES: BenchCase[] = [
  PRIMARY,
  ...[
    '/dashboard',
    '/leads',
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
];

/** Measured at one connection at every data size, to see how each p50 grows with the company. */
export const SCALING_CASES: BenchCase[] = [
  '/leads',
  '/leads?status=QUALIFIED',
  `/leads?q=${SEARCH_WORD}`,
  '/dashboard',
].map((path) => ({ role: 'manager' as const, path }));

export const caseName = (c: BenchCase) => `${c.role} ${c.path}`;
