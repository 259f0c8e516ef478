// Timeline items in the viewer's words: each source's rows as one shape (kind, label, summary,
// who, when in the viewer's zone, link), the record's audit entries as sentences about people
// ("Olivia Bennett moved it from Contacted to Qualified"), merged newest first.
import type { CurrentUser } from '../access/currentUser.ts';
import { makePresenter, type AuditEntryRow, type ChangeLine, type Shown } from '../audit/present.ts';
import type { Names } from '../audit/names.ts';
import { STATUS_LABELS as LEAD_STATUS_LABELS } from '../lead/fields.ts';
import { STATUS_LABELS as TASK_STATUS_LABELS } from '../task/schema.ts';
import { dateTimeFormatter, timeRange } from '../web/time.ts';
import { STAFF_FIELD, type TimelineModel } from './changes.ts';
import type { TimelineSources } from './queries.ts';
import { type Cursor, encodeCursor, SOURCE_RANK, type TimelineSource } from './query.ts';

export const ACTIVITY_LABELS: Record<string, string> = {
  CALL: 'Call',
  EMAIL: 'Email',
  MEETING: 'Meeting',
  NOTE: 'Note',
};
export const CALL_OUTCOME_LABELS: Record<string, string> = {
  REACHED: 'Reached',
  LEFT_MESSAGE: 'Left a message',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
};

/** A piece of a sentence: plain text, or a name with (when the viewer may open it) its page. */
export type Segment = string | Shown;

export type TimelineItem = {
  source: TimelineSource;
  /** For the badge: Call, Email, Meeting, Note, Task, Appointment, Lead, Change. */
  label: string;
  /** One line: the activity's summary, the task's title… or the change's sentence. */
  summary: Segment[];
  href: string | null;
  who: string | null;
  detail: string;
  when: Date;
  whenText: string;
  /** The field changes beside the sentence (only for those who see the audit trail). */
  lines: ChangeLine[];
  cursor: Cursor;
};

const EMPTY = '—'; // how the audit presenter shows a blank value
const cap = (s: string) => (s.charAt(0) + s.slice(1).toLowerCase()).replace(/_/g, ' ');
const changesOf = (changes: unknown): Record<string, unknown> =>
  changes && typeof changes === 'object' && !Array.isArray(changes) ? (changes as Record<string, unknown>) : {};

/** The people-sentence of one audit entry, and which of its fields the sentence already says. */
function sentence(model: TimelineModel, e: AuditEntryRow, byKey: Map<string, ChangeLine>) {
  const actor = e.actor?.name ?? 'Someone';
  const line = (key: string) => byKey.get(key);
  const fromTo = (key: string, verb: string): { parts: Segment[]; said: string[] } | null => {
    const l = line(key);
    return l?.before && l.after ? { parts: [`${actor} ${verb} from `, l.before, ' to ', l.after], said: [key] } : null;
  };
  switch (e.action) {
    case 'create': {
      const from = line('fromLead');
      // A lead the viewer may not open (a colleague's, or deleted) is not named.
      if (from?.value?.href) return { parts: [`${actor} created it from the lead `, from.value], said: ['fromLead'] };
      if (from) return { parts: [`${actor} created it from a lead`], said: [] };
      return { parts: [`${actor} created it`], said: [] };
    }
    case 'assign':
      return fromTo('assigneeId', 'reassigned it') ?? { parts: [`${actor} reassigned it`], said: [] };
    case 'convert': {
      const to = line('customerId')?.after;
      const fresh = changesOf(e.changes).newCustomer === true ? 'a new customer, ' : 'the customer ';
      return to
        ? { parts: [`${actor} converted it to ${fresh}`, to], said: ['customerId', 'newCustomer', 'status'] }
        : { parts: [`${actor} converted it`], said: ['newCustomer', 'status'] };
    }
    case 'detach': {
      const from = line('customerId')?.before;
      return from
        ? { parts: [`${actor} detached it from the customer `, from], said: ['customerId'] }
        : { parts: [`${actor} detached it from its customer`], said: ['customerId'] };
    }
    case 'merge': {
      // The kept record's entry (src/duplicate/writes.ts): the removed one is gone, so it is named, not linked.
      const merged = changesOf(e.changes).mergedName;
      const what = typeof merged === 'string' ? `"${merged}"` : 'another record';
      return { parts: [`${actor} merged ${what} into it`], said: ['mergedFrom', 'mergedName', 'moved', 'mergedInto'] };
    }
    case 'update': {
      const key = STAFF_FIELD[model];
      const owner = model === 'Customer' ? line(key) : undefined;
      // A customer given its first owner, or left without one, is said so (not "from — to …").
      if (owner?.before?.text === EMPTY && owner.after)
        return { parts: [`${actor} made `, owner.after, ' its owner'], said: [key] };
      if (owner?.after?.text === EMPTY && owner.before)
        return { parts: [`${actor} removed its owner, `, owner.before], said: [key] };
      const told = fromTo(key, model === 'Lead' ? 'moved it' : 'changed its owner');
      if (told) return told;
      const labels = [...byKey.values()].map((l) => l.label.toLowerCase());
      return { parts: [`${actor} changed ${labels.length ? labels.join(', ') : 'it'}`], said: [] };
    }
    default:
      return { parts: [`${actor}: ${e.action}`], said: [] };
  }
}

/** Turns each source's rows into items, merges them newest first and keeps one page (and says if there is more). */
export function presentTimeline(
  user: CurrentUser,
  model: TimelineModel,
  sources: TimelineSources,
  changes: AuditEntryRow[],
  names: Names,
  options: { page: number; fullChanges: boolean },
) {
  const inZone = dateTimeFormatter(user.timeZone ?? 'UTC');
  const at = (source: TimelineSource, when: Date, id: number | bigint) => ({
    when,
    whenText: inZone(when),
    cursor: { at: when, rank: SOURCE_RANK[source], id: BigInt(id) },
  });
  const items: TimelineItem[] = [];
  for (const a of sources.activities) {
    const call = a.kind === 'CALL';
    const outcome = call && a.callOutcome ? CALL_OUTCOME_LABELS[a.callOutcome] : '';
    const minutes = call && a.durationMinutes ? `${a.durationMinutes} min` : '';
    items.push({
      source: 'activity',
      label: ACTIVITY_LABELS[a.kind] ?? cap(a.kind),
      summary: [a.summary],
      href: `/activities/${a.id}`,
      who: a.author?.name ?? null,
      detail: [outcome, minutes, a.details.length > 160 ? `${a.details.slice(0, 159)}…` : a.details]
        .filter(Boolean)
        .join(' · '),
      lines: [],
      ...at('activity', a.occurredAt, a.id),
    });
  }
  for (const t of sources.tasks) {
    const due = t.dueAt ? `due ${inZone(t.dueAt)}` : '';
    items.push({
      source: 'task',
      label: 'Task',
      summary: [t.title],
      href: `/tasks/${t.id}`,
      who: t.assignee.name,
      detail: [TASK_STATUS_LABELS[t.status as keyof typeof TASK_STATUS_LABELS] ?? cap(t.status), due]
        .filter(Boolean)
        .join(' · '),
      lines: [],
      ...at('task', t.createdAt, t.id),
    });
  }
  for (const ap of sources.appointments) {
    items.push({
      source: 'appointment',
      label: 'Appointment',
      summary: [ap.title],
      href: `/appointments/${ap.id}`,
      who: ap.organiser?.name ?? null,
      detail: [timeRange(ap.startsAt, ap.endsAt, inZone), ap.location].filter(Boolean).join(' · '),
      lines: [],
      ...at('appointment', ap.startsAt, ap.id),
    });
  }
  for (const l of sources.leads) {
    const converted = l.convertedAt ? `converted ${inZone(l.convertedAt)}` : '';
    items.push({
      source: 'lead',
      label: 'Lead',
      summary: [l.title],
      href: `/leads/${l.id}`,
      who: l.assignee.name,
      detail: [LEAD_STATUS_LABELS[l.status] ?? cap(l.status), converted].filter(Boolean).join(' · '),
      lines: [],
      ...at('lead', l.createdAt, l.id),
    });
  }
  const present = makePresenter(user, names);
  for (const e of changes) {
    const keys = Object.keys(changesOf(e.changes));
    const shown = present(e);
    const byKey = new Map(keys.map((k, i) => [k, shown.lines[i]] as const));
    const { parts, said } = sentence(model, e, byKey);
    items.push({
      source: 'change',
      label: 'Change',
      summary: parts,
      href: null,
      who: null,
      detail: '',
      lines: options.fullChanges ? keys.filter((k) => !said.includes(k)).map((k) => byKey.get(k)!) : [],
      ...at('change', e.createdAt, e.id),
    });
  }
  items.sort(newestFirst);
  const page = items.slice(0, options.page);
  const older = items.length > options.page ? encodeCursor(page[page.length - 1].cursor) : null;
  return { items: page, older };
}

/** The timeline's order: moment, then source rank, then id, all descending (the cursor's order). */
function newestFirst(a: TimelineItem, b: TimelineItem): number {
  const byTime = b.when.getTime() - a.when.getTime();
  if (byTime) return byTime;
  if (a.cursor.rank !== b.cursor.rank) return b.cursor.rank - a.cursor.rank;
  return a.cursor.id === b.cursor.id ? 0 : a.cursor.id < b.cursor.id ? 1 : -1;
}
