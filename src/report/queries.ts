// The reports' reads: the closed deals grouped (one statement, src/pipeline/figures.ts, scoped by the access
// core), the people whose names label the rows and fill the person filter (one statement), and for a
// superuser the companies to choose from with their currencies (one statement). A page runs them in parallel.
import type { Request } from 'express';
import type { ScopedClient } from '../access/scope.ts';
import { companyUserFilterOptions } from '../company/choices.ts';
import type { ScopedSql } from '../access/scopedSql.ts';
import type { AppDeps } from '../deps.ts';
import { closedDeals, type ClosedRow, type FigureFilter } from '../pipeline/figures.ts';
import type { DateRange } from '../pipeline/range.ts';
import { REPORT_GROUPING, type ReportKind } from './schema.ts';
import type { Person } from './tables.ts';

export type ReportCompany = { id: number; name: string; currency: string };

/** Every company a superuser may report on, by name, with the currency its amounts are shown in. */
export function reportCompanies(scoped: ScopedClient): Promise<ReportCompany[]> {
  return scoped.company.findMany({
    select: { id: true, name: true, currency: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

/** The company's people (deactivated ones too: their closed deals still count). */
export function reportPeople(sql: ScopedSql, companyId: number): Promise<Person[]> {
  return companyUserFilterOptions(sql, companyId);
}

/** The report's figures: closed deals in the range, grouped as the report asks, inside the user's scope. */
export function reportFigures(
  deps: AppDeps,
  req: Request,
  kind: ReportKind,
  range: DateRange,
  filter: FigureFilter,
): Promise<ClosedRow[]> {
  return closedDeals(deps, req, REPORT_GROUPING[kind], range, filter);
}
