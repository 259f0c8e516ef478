// The merge pages (issue 16 item 6): GET /customers/:id/merge (and /leads/:id/merge) finds the other record (the
// likely duplicates first, a search, or an id), then shows both side by side with a choice per field; the POST asks
// for a confirmation first (a page saying what is kept, what moves and what is removed), then merges in one
// transaction (src/duplicate/writes.ts) and opens the kept record.
import type { Request, RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { CUSTOMER_FIELDS } from '../customer/fields.ts';
import { findCustomer, type LoadedCustomer } from '../customer/queries.ts';
import type { AppDeps } from '../deps.ts';
import { LEAD_FIELDS } from '../lead/fields.ts';
import { findLead, type LoadedLead } from '../lead/queries.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { optionalQueryId, parseForm } from '../web/forms.ts';
import { searchWhere } from '../web/list.ts';
import { findDuplicates } from './detect.ts';
import { phoneCountryOf } from './keys.ts';
import { mergeForm, picksFromOther } from './schema.ts';
import { MERGE_FIELDS, type MergeKind, mergeRecords } from './writes.ts';

type AnyRecord = (LoadedCustomer | LoadedLead) & Record<string, unknown>;
type Descriptor = { name: string; label: string; text: (row: Record<string, unknown>) => string };

const KINDS = {
  customer: {
    noun: 'customer',
    path: '/customers',
    fields: CUSTOMER_FIELDS as unknown as Descriptor[],
    find: findCustomer,
    loaded: (req: Request) => load.customer.of(req) as AnyRecord,
    title: (r: AnyRecord) => String(r.name),
    searched: ['name', 'email', 'organisation', 'phone'],
  },
  lead: {
    noun: 'lead',
    path: '/leads',
    fields: LEAD_FIELDS as unknown as Descriptor[],
    find: findLead,
    loaded: (req: Request) => load.lead.of(req) as AnyRecord,
    title: (r: AnyRecord) => String(r.title),
    searched: ['title', 'contactName', 'email', 'organisation'],
  },
} as const;

const PICK_LIMIT = 20;

/** The other record: of the same company, visible to the user, not the record itself; else 404. */
async function otherRecord(scoped: ScopedClient, kind: MergeKind, record: AnyRecord, id: number) {
  const other = (await KINDS[kind].find(scoped, id)) as AnyRecord | null;
  if (!other || other.id === record.id || other.companyId !== record.companyId) throw new NotFound();
  return other;
}

/** The records to merge with: a search's matches, or the likely duplicates of the record. */
async function candidates(scoped: ScopedClient, user: CurrentUser, kind: MergeKind, record: AnyRecord, q: string) {
  if (q) {
    const where = {
      AND: [{ companyId: record.companyId, id: { not: record.id } }, searchWhere(q, [...KINDS[kind].searched])!],
    };
    const select = { id: true, email: true, organisation: true } as const;
    const rows =
      kind === 'customer'
        ? (
            await scoped.customer.findMany({
              where,
              select: { ...select, name: true },
              take: PICK_LIMIT,
              orderBy: { id: 'asc' },
            })
          ).map((r) => ({ ...r, because: '' }))
        : (
            await scoped.lead.findMany({
              where,
              select: { ...select, title: true },
              take: PICK_LIMIT,
              orderBy: { id: 'asc' },
            })
          ).map((r) => ({ ...r, name: r.title, because: '' }));
    return rows;
  }
  return findDuplicates(
    scoped,
    user,
    kind,
    {
      companyId: record.companyId,
      name: String(kind === 'lead' ? record.contactName : record.name),
      title: kind === 'lead' ? String(record.title) : '',
      email: String(record.email),
      phone: String(record.phone),
      organisation: String(record.organisation),
    },
    {
      excludeId: record.id,
      limit: PICK_LIMIT,
      phoneCountry: phoneCountryOf((record.company as { currency?: string }).currency),
    },
  );
}

/** Each pickable field with both records' values as shown on their pages. */
function fieldRows(kind: MergeKind, kept: AnyRecord, other: AnyRecord, body?: unknown) {
  const names = MERGE_FIELDS[kind] as readonly string[];
  const fromOther = body ? picksFromOther(body, names) : [];
  return KINDS[kind].fields
    .filter((f) => names.includes(f.name))
    .map((f) => ({
      name: f.name,
      label: f.label,
      kept: f.text(kept),
      other: f.text(other),
      same: f.text(kept) === f.text(other),
      side: fromOther.includes(f.name) ? 'other' : 'kept',
    }));
}

/** How many rows point at the other record (and will move). */
async function pointingAt(scoped: ScopedClient, kind: MergeKind, id: number) {
  if (kind === 'customer') {
    const where = { customerId: id };
    return {
      leads: await scoped.lead.count({ where }),
      tasks: await scoped.task.count({ where }),
      appointments: await scoped.appointment.count({ where }),
      activities: await scoped.activity.count({ where }),
    };
  }
  const where = { leadId: id };
  return {
    tasks: await scoped.task.count({ where }),
    appointments: await scoped.appointment.count({ where }),
    activities: await scoped.activity.count({ where }),
  };
}

function common(kind: MergeKind, record: AnyRecord) {
  const k = KINDS[kind];
  return { kind, noun: k.noun, path: k.path, record, recordTitle: k.title(record), titleOf: k.title };
}

export function mergeHandlers(_deps: AppDeps, kind: MergeKind) {
  const k = KINDS[kind];

  /** GET /<kind>s/:id/merge — find the other record, or (?with=id) both side by side with a choice per field. */
  const page: RequestHandler = async (req, res) => {
    const scoped = req.db;
    const record = k.loaded(req);
    const withId = optionalQueryId(req.query.with);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    if (req.query.with !== undefined && withId === null) {
      // Not a number at all: said beside the field (an unknown or out-of-scope number is a 404 below).
      return res.status(422).render('duplicate/pick', {
        title: `Merge ${k.title(record)}`,
        ...common(kind, record),
        q,
        matches: await candidates(scoped, req.user!, kind, record, q),
        withError: `Enter the number of a ${k.noun}.`,
        withValue: typeof req.query.with === 'string' ? req.query.with.slice(0, 20) : '',
      });
    }
    if (withId !== null) {
      const other = await otherRecord(scoped, kind, record, withId);
      return res.render('duplicate/compare', {
        title: `Merge ${k.title(record)}`,
        ...common(kind, record),
        other,
        rows: fieldRows(kind, record, other),
      });
    }
    res.render('duplicate/pick', {
      title: `Merge ${k.title(record)}`,
      ...common(kind, record),
      q,
      matches: await candidates(scoped, req.user!, kind, record, q),
    });
  };

  /** POST /<kind>s/:id/merge — first the confirmation page, then (confirm) the merge; stale versions answer 409. */
  const merge: RequestHandler = async (req, res: Response) => {
    const scoped = req.db;
    const user = req.user!;
    const record = k.loaded(req);
    const parsed = parseForm(mergeForm, req.body);
    if (!parsed.ok) throw new NotFound();
    const other = await otherRecord(scoped, kind, record, parsed.data.otherId);
    const names = MERGE_FIELDS[kind] as readonly string[];
    const fromOther = picksFromOther(req.body, names);
    if (!parsed.data.confirm) {
      return res.render('duplicate/confirm', {
        title: `Merge ${k.title(record)}`,
        ...common(kind, record),
        other,
        rows: fieldRows(kind, record, other, req.body),
        keptVersion: parsed.data.keptVersion,
        otherVersion: parsed.data.otherVersion,
        moving: await pointingAt(scoped, kind, other.id),
      });
    }
    const kept = { id: record.id, version: parsed.data.keptVersion };
    const merged = await mergeRecords(
      scoped,
      user,
      kind,
      kept,
      { id: other.id, version: parsed.data.otherVersion },
      fromOther,
    );
    const moved = Object.entries(merged.moved)
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${n} ${n === 1 ? what.replace(/ies$/, 'y').replace(/s$/, '') : what}`);
    flash(
      req,
      'success',
      `Merged "${k.title(other)}" into this ${k.noun}` + (moved.length ? `; moved ${moved.join(', ')}.` : '.'),
    );
    res.redirect(303, `${k.path}/${record.id}`);
  };

  return { page, merge };
}
