// The reports' query string: which report (`by`), the date range (src/pipeline/range.ts reads range, from
// and to), and the narrowing a role may ask for (a manager's person, a superuser's company). Unknown values
// fall back to the defaults; a parameter given twice is a 400, as on every list.
import { z } from 'zod';
import { optionalQueryId } from '../web/forms.ts';
import { refuseRepeated } from '../web/input.ts';

export const REPORT_KINDS = ['person', 'source', 'month', 'reason'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_TITLES: Record<ReportKind, string> = {
  person: 'By person',
  source: 'By source',
  month: 'By month',
  reason: 'Lost reasons',
};

/** The grouping of src/pipeline/figures.ts behind each report. */
export const REPORT_GROUPING = {
  person: 'assignee',
  source: 'source',
  month: 'month',
  reason: 'reason',
} as const satisfies Record<ReportKind, string>;

const PARAMS = ['by', 'range', 'from', 'to', 'assigneeId', 'companyId'] as const;

const reportQuerySchema = z.object({
  by: z.enum(REPORT_KINDS).catch('person'),
  assigneeId: z.unknown().transform(optionalQueryId),
  companyId: z.unknown().transform(optionalQueryId),
});

export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** The report asked for; the range is parsed apart (parseRange), from the same query. */
export function parseReportQuery(query: Record<string, unknown>): ReportQuery {
  refuseRepeated(query, PARAMS);
  return reportQuerySchema.parse({ by: query.by, assigneeId: query.assigneeId, companyId: query.companyId });
}
