// A lead's or customer's timeline for its page: activities, tasks, appointments (and a customer's
// leads) the user may see, and the record's own changes, newest first, filtered by kind, one page
// of TIMELINE_PAGE items with a "Show older" link (?before=<cursor>, no JavaScript).
//
// Statements, however long the history (TIMELINE_STATEMENTS): the activities in one scoped statement, the
// other sources in another and the changes in a third, side by side; then, when the changes name people, customers or
// leads, those names in one more (src/audit/names.ts). Each source reads page + 1 rows after the
// cursor; the page is the newest of their union, so no item is lost or shown twice.
//
// Which moment places each item ("when"): an activity when it happened (occurredAt), a task when it
// was created, an appointment when it starts (so an upcoming meeting heads the timeline), a
// customer's lead when it was created, a change when it was made.
import { ACTIVITY_FIELDS } from '../activity/fields.ts';
import type { Request } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { seesAuditTrail } from '../audit/history.ts';
import { lookUpNames } from '../audit/names.ts';
import { wantedBy } from '../audit/present.ts';
import type { Database } from '../db/client.ts';
import { recordChanges, type TimelineModel } from './changes.ts';
import { presentTimeline, type TimelineItem } from './present.ts';
import { customerSources, leadSources, TIMELINE_PAGE, type TimelineSources } from './queries.ts';
import { parseTimelineQuery, TIMELINE_FILTERS, type TimelineFilter, type TimelineQuery } from './query.ts';

/** Statements the timeline adds to a lead's or customer's page: activities, other sources, changes, names. */
export const TIMELINE_STATEMENTS = 4;

const LEAD_FILTERS: TimelineFilter[] = [
  'all',
  'activities',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
  'appointments',
  'changes',
];
const CUSTOMER_FILTERS: TimelineFilter[] = [...LEAD_FILTERS.slice(0, -1), 'leads', 'changes'];

export type TimelineView = {
  items: TimelineItem[];
  filter: TimelineFilter;
  filters: { value: TimelineFilter; label: string; href: string; current: boolean }[];
  /** The next page's link, or null on the last page. */
  olderHref: string | null;
  /** Back to the newest items, when this page is an older one. */
  newestHref: string | null;
  /** The record in the audit trail, for those who see it. */
  auditHref: string | null;
  /** For the quick-log form: what the activity is about, and the page to come back to. */
  leadId: number | null;
  customerId: number | null;
  returnTo: string;
  /** The activity's field descriptors, whose labels and choices the quick-log form shows. */
  activityFields: typeof ACTIVITY_FIELDS;
};

type Deps = { db: Pick<Database, 'prisma'> };
type LoadedRecord = { id: number; companyId: number };

async function build(
  deps: Deps,
  req: Request,
  model: TimelineModel,
  record: LoadedRecord,
  filters: TimelineFilter[],
  readSources: (query: TimelineQuery) => Promise<TimelineSources>,
): Promise<TimelineView> {
  const user: CurrentUser = req.user!;
  const query = parseTimelineQuery(req.query as Record<string, unknown>, filters);
  const wantsChanges = query.filter === 'all' || query.filter === 'changes';
  const [sources, changes] = await Promise.all([
    readSources(query),
    wantsChanges ? recordChanges(deps, req.db, user, model, record, query.before) : Promise.resolve([]),
  ]);
  const { names } = await lookUpNames(req.db, user, wantedBy(changes, false));
  const fullChanges = seesAuditTrail(user);
  const { items, older } = presentTimeline(user, model, sources, changes, names, {
    page: TIMELINE_PAGE,
    fullChanges,
  });
  const base = `/${model === 'Lead' ? 'leads' : 'customers'}/${record.id}`;
  const withFilter = (f: TimelineFilter) => (f === 'all' ? base : `${base}?timeline=${f}`);
  const join = (href: string) => (href.includes('?') ? '&' : '?');
  const here = withFilter(query.filter);
  return {
    items,
    filter: query.filter,
    filters: filters.map((f) => ({
      value: f,
      label: TIMELINE_FILTERS[f],
      href: `${withFilter(f)}#timeline`,
      current: f === query.filter,
    })),
    olderHref: older ? `${here}${join(here)}before=${older}#timeline` : null,
    newestHref: query.before ? `${here}#timeline` : null,
    auditHref: fullChanges ? `/audit?model=${model}&recordId=${record.id}` : null,
    leadId: model === 'Lead' ? record.id : null,
    customerId: model === 'Customer' ? record.id : null,
    returnTo: base,
    activityFields: ACTIVITY_FIELDS,
  };
}

/** The lead page's timeline (the lead as its loader returned it). */
export function leadTimeline(deps: Deps, req: Request, lead: LoadedRecord): Promise<TimelineView> {
  return build(deps, req, 'Lead', lead, LEAD_FILTERS, (q) => leadSources(req.db, req.user!, lead.id, q));
}

/** The customer page's timeline (the customer as its loader returned it). */
export function customerTimeline(deps: Deps, req: Request, customer: LoadedRecord): Promise<TimelineView> {
  return build(deps, req, 'Customer', customer, CUSTOMER_FILTERS, (q) =>
    customerSources(req.db, req.user!, customer.id, q),
  );
}
