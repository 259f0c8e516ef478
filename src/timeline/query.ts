// The timeline's query string: which kinds to show (?timeline=calls) and where the page starts
// (?before=<cursor>, the "Show older" link). Both are forgiving: an unknown filter shows everything
// and a malformed cursor starts from the newest item, so no input answers an error.

/** The sources a timeline merges; `rank` orders items of the same moment (higher first) and is part of the cursor. */
export const SOURCE_RANK = { activity: 4, task: 3, appointment: 2, lead: 1, change: 0 } as const;
export type TimelineSource = keyof typeof SOURCE_RANK;

/** The filter choices, in the order the view offers them; `leads` only on a customer's page. */
export const TIMELINE_FILTERS = {
  all: 'Everything',
  activities: 'Activities',
  calls: 'Calls',
  emails: 'Emails',
  meetings: 'Meetings',
  notes: 'Notes',
  tasks: 'Tasks',
  appointments: 'Appointments',
  leads: 'Leads',
  changes: 'Changes',
} as const;
export type TimelineFilter = keyof typeof TIMELINE_FILTERS;

/** The activity kinds each filter keeps (null: every kind); filters absent here show no activities. */
export const ACTIVITY_KINDS_OF: Partial<Record<TimelineFilter, ('CALL' | 'EMAIL' | 'MEETING' | 'NOTE')[] | null>> = {
  all: null,
  activities: null,
  calls: ['CALL'],
  emails: ['EMAIL'],
  meetings: ['MEETING'],
  notes: ['NOTE'],
};

/** Does the filter show items of this source? */
export function showsSource(filter: TimelineFilter, source: TimelineSource): boolean {
  if (filter === 'all') return true;
  if (source === 'activity') return filter in ACTIVITY_KINDS_OF;
  return { task: 'tasks', appointment: 'appointments', lead: 'leads', change: 'changes' }[source] === filter;
}

/** A position in the timeline: the item's moment, its source's rank and its id (audit ids are big integers). */
export type Cursor = { at: Date; rank: number; id: bigint };

export type TimelineQuery = { filter: TimelineFilter; before: Cursor | null };

const MAX_INT = 2_147_483_647n;

export const encodeCursor = (c: Cursor) => `${c.at.getTime()}-${c.rank}-${c.id}`;

export function decodeCursor(value: unknown): Cursor | null {
  const m = typeof value === 'string' ? /^(\d{1,15})-([0-4])-(\d{1,19})$/.exec(value) : null;
  if (!m) return null;
  const at = new Date(Number(m[1]));
  const id = BigInt(m[3]);
  if (Number.isNaN(at.getTime()) || id > 9_223_372_036_854_775_807n) return null;
  return { at, rank: Number(m[2]), id };
}

/** The timeline's part of a record page's query string. `filters`: the choices this page offers. */
export function parseTimelineQuery(query: Record<string, unknown>, filters: readonly TimelineFilter[]): TimelineQuery {
  const asked = typeof query.timeline === 'string' ? query.timeline : 'all';
  const filter = (filters as readonly string[]).includes(asked) ? (asked as TimelineFilter) : 'all';
  return { filter, before: decodeCursor(query.before) };
}

/**
 * The rows of one source that come after the cursor (are older), in the timeline's order
 * (moment desc, rank desc, id desc): a source ranked above the cursor's item needs an earlier
 * moment, one ranked below it may share the moment, and the cursor's own source continues by id.
 */
export function olderThan(cursor: Cursor | null, source: TimelineSource, when: string, asBigInt = false) {
  if (!cursor) return {};
  const rank = SOURCE_RANK[source];
  if (rank > cursor.rank) return { [when]: { lt: cursor.at } };
  if (rank < cursor.rank) return { [when]: { lte: cursor.at } };
  // An Int column's ids all come before a cursor id beyond its range (a forged cursor: no error, no loss).
  if (!asBigInt && cursor.id > MAX_INT) return { [when]: { lte: cursor.at } };
  const id = asBigInt ? cursor.id : Number(cursor.id);
  return { OR: [{ [when]: { lt: cursor.at } }, { [when]: cursor.at, id: { lt: id } }] };
}
