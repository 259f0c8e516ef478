// Audit entries in the viewer's words: labels for fields, names (with links) for ids, formatted
// values, times in the viewer's zone. Two steps so a page looks names up once: collect what the
// entries refer to (wantedBy), then present them with the names found (presentEntries).
import type { CurrentUser } from '../access/currentUser.ts';
import type { Permission } from '../access/permissions.ts';
import { can } from '../access/policy.ts';
import { formatMoney } from '../fields/descriptor.ts';
import { dateTimeFormatter } from '../web/time.ts';
import { actionLabel } from './actions.ts';
import {
  AUDIT_RECORD_TYPES,
  type AuditField,
  type AuditFieldSet,
  auditField,
  humanize,
  isAuditModel,
  type ReferenceModel,
} from './fields.ts';
import { nameKey, type Names, type Wanted, want } from './names.ts';

/** An entry as read from the database (the list and the history select the same columns). */
export type AuditEntryRow = {
  id: bigint;
  action: string;
  model: string;
  recordId: string;
  changes: unknown;
  createdAt: Date;
  companyId: number | null;
  actor: { id: number; name: string } | null;
  company?: { name: string } | null;
};

export const AUDIT_ENTRY_SELECT = {
  id: true,
  action: true,
  model: true,
  recordId: true,
  changes: true,
  createdAt: true,
  companyId: true,
  actor: { select: { id: true, name: true } },
} as const;

/** A shown value: its text and, for a record the viewer may open, its page. */
export type Shown = { text: string; href?: string };
/**
 * One line of an entry: "Label: before → after" (a change), "Label: set to after" (a change from an empty value:
 * `set` is true, `before` is still there) or "Label: value" (a snapshot).
 */
export type ChangeLine = { label: string; before?: Shown; after?: Shown; value?: Shown; set?: boolean };
export type PresentedEntry = {
  id: string;
  when: string;
  actor: Shown | null;
  company: string | null;
  action: string;
  record: Shown;
  lines: ChangeLine[];
};

const EMPTY = '—';
const MAX_TEXT = 120;

const changesOf = (changes: unknown): Record<string, unknown> =>
  changes && typeof changes === 'object' && !Array.isArray(changes) ? (changes as Record<string, unknown>) : {};

const isListKind = (f: AuditField) => f.kind === 'list' || f.kind === 'references';

/** A change is [before, after]; list fields hold arrays, so for them both sides must be arrays (or null). */
function asChange(field: AuditField, v: unknown): [unknown, unknown] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  if (!isListKind(field)) return [v[0], v[1]];
  return v.every((side) => side === null || Array.isArray(side)) ? [v[0], v[1]] : null;
}

function fieldsOf(model: string): AuditFieldSet {
  return isAuditModel(model) ? AUDIT_RECORD_TYPES[model].fields() : {};
}

/**
 * Every id the entries point at: the references in their changes and, for a list of many records
 * (`withRecords`), the records themselves and their actors (for names and links). A record's own
 * history needs neither, so a history without references costs no look-up.
 */
export function wantedBy(entries: AuditEntryRow[], withRecords: boolean): Wanted {
  const wanted: Wanted = new Map();
  for (const e of entries) {
    if (withRecords && isAuditModel(e.model)) want(wanted, e.model, e.recordId);
    if (withRecords && e.actor) want(wanted, 'User', e.actor.id);
    const fields = fieldsOf(e.model);
    for (const [key, v] of Object.entries(changesOf(e.changes))) {
      const field = fields[key];
      if (!field || (field.kind !== 'reference' && field.kind !== 'references')) continue;
      const sides = asChange(field, v) ?? [v];
      for (const side of sides) for (const id of Array.isArray(side) ? side : [side]) want(wanted, field.to, id);
    }
  }
  return wanted;
}

/** The permission that opens each record type's page; a company's page is open to whoever may read it. */
const PAGE_PERMISSION: Record<ReferenceModel, Permission | null> = {
  Lead: 'lead.view',
  Customer: 'customer.view',
  Task: 'task.view',
  Appointment: 'appointment.view',
  User: 'user.manage',
  Group: 'group.manage',
  Company: null,
  Activity: 'activity.view',
  // Its page is open to whoever may read it (src/import: the company's account managers, or the importer).
  Import: null,
};

/**
 * Entries to view models for `user`. A reference shows its name only when the scoped look-up found
 * it (so it exists and is in the viewer's scope), and links to its page when the viewer may open it.
 */
export function makePresenter(user: CurrentUser, names: Names) {
  const mayOpen = (model: ReferenceModel) => {
    const permission = PAGE_PERMISSION[model];
    return permission === null || can(user, permission);
  };
  const inZone = dateTimeFormatter(user.timeZone ?? 'UTC');

  const reference = (model: ReferenceModel, value: unknown): Shown => {
    if (value === null || value === undefined || value === '') return { text: EMPTY };
    const id = String(value);
    const type = AUDIT_RECORD_TYPES[model];
    const name = /^\d+$/.test(id) ? names.get(nameKey(model, Number(id))) : undefined;
    if (name === undefined) return { text: `deleted ${type.noun} #${id}` };
    return { text: name || `${type.label} #${id}`, href: mayOpen(model) ? `${type.path}/${id}` : undefined };
  };

  const shorten = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

  const show = (field: AuditField, v: unknown): Shown => {
    if (v === null || v === undefined || v === '') return { text: EMPTY };
    switch (field.kind) {
      case 'money':
        return { text: formatMoney(v) || EMPTY };
      case 'date':
      case 'datetime': {
        const d = new Date(String(v));
        if (Number.isNaN(d.getTime())) return { text: shorten(String(v)) };
        return { text: field.kind === 'date' ? inZone(d).slice(0, 10) : inZone(d) };
      }
      case 'yesNo':
        return { text: v ? 'Yes' : 'No' };
      case 'enum':
        return { text: field.labels[String(v)] ?? String(v) };
      case 'formatted':
        return { text: shorten(field.show(v)) || EMPTY };
      case 'reference':
        return reference(field.to, v);
      case 'references':
      case 'list': {
        const items = Array.isArray(v) ? v : [v];
        if (!items.length) return { text: 'none' };
        const texts = items.map((x) => (field.kind === 'references' ? reference(field.to, x).text : String(x)));
        return { text: shorten(texts.join(', ')) };
      }
      case 'counts': {
        if (typeof v !== 'object') return { text: String(v) };
        const counts = Object.entries(v as Record<string, unknown>);
        const parts = counts.map(([k, n]) => `${String(n)} ${field.labels[k] ?? k}`);
        return { text: parts.join(', ') || 'none' };
      }
      default:
        return { text: shorten(typeof v === 'object' ? JSON.stringify(v) : String(v)) };
    }
  };

  /** A deleted record's last values show as plain values, not as changes to "—". */
  const lines = (e: AuditEntryRow): ChangeLine[] => {
    const fields = fieldsOf(e.model);
    return Object.entries(changesOf(e.changes)).map(([key, v]) => {
      const field = fields[key] ?? auditField(e.model, key);
      const change = asChange(field, v);
      if (change && e.action === 'delete' && change[1] === null) {
        return { label: field.label, value: show(field, change[0]) };
      }
      if (!change) return { label: field.label, value: show(field, v) };
      const before = show(field, change[0]);
      const after = show(field, change[1]);
      // A field that was empty: "set to value", not "— → value".
      return before.text === EMPTY && after.text !== EMPTY
        ? { label: field.label, before, after, set: true }
        : { label: field.label, before, after };
    });
  };

  const record = (e: AuditEntryRow): Shown => {
    if (!isAuditModel(e.model)) return { text: `${humanize(e.model)} #${e.recordId}` };
    const type = AUDIT_RECORD_TYPES[e.model];
    const found = reference(e.model, e.recordId);
    // The record's own name, or what it was called when it was deleted (the entry kept it).
    const { name, title } = changesOf(e.changes);
    const was = name ?? title;
    const kept = Array.isArray(was) ? was[0] : was;
    if (!found.href && found.text.startsWith('deleted ') && typeof kept === 'string' && kept) {
      return { text: `${type.label} "${shorten(kept)}" (deleted, #${e.recordId})` };
    }
    return { text: `${type.label}: ${found.text}`, href: found.href };
  };

  /** An actor's page, when the look-up found them (a list looks actors up; a record's history does not). */
  const actorHref = (id: number) => (names.has(nameKey('User', id)) ? reference('User', id).href : undefined);

  return (e: AuditEntryRow): PresentedEntry => ({
    id: String(e.id),
    when: inZone(e.createdAt),
    actor: e.actor ? { text: e.actor.name, href: actorHref(e.actor.id) } : null,
    company: e.company?.name ?? null,
    action: actionLabel(e.action),
    record: record(e),
    lines: lines(e),
  });
}
