// A record's fields, each declared once: name, label, kind, validation, who may set it, and where it
// shows (form, detail page, list column, CSV, audit). The builders beside this file derive the zod
// schemas, the form values, the 409 rows, the audit labels, the CSV columns and the list from them.
//
// Adding an optional field to a record: the column in prisma/schema.prisma, its migration
// (npm run db:makemigration -- <name>), one entry in the record's fields.ts, and a test. A sortable
// list column may also want an index (see the lead's expected close date).
import type { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import type { Permission } from '../access/permissions.ts';
import { formatAmount } from '../pipeline/money.ts';

/** `datetime`: a moment (a Date); its form value from a saved row is the UTC wall time ("2030-01-14T08:00"), read
 * back by a form schema for the UTC zone (the API's; the pages' forms show the user's zone themselves). */
export type FieldKind = 'text' | 'line' | 'email' | 'phone' | 'money' | 'date' | 'datetime' | 'choice' | 'reference';

/** A saved record (or a list row) as the descriptors read it. */
export type Row = Record<string, unknown>;

/** A field pointing at another record: shown by the related row's name. */
export type Reference = {
  /** The relation that holds the name (`assignee` for assigneeId). */
  relation: string;
  /** The referenced model, for readers that resolve ids to names (the audit trail). */
  model: 'User' | 'Customer' | 'Lead';
  /** The form's local holding the options; null or absent there means the field is not in the form. */
  options: string;
  /** An option's text in the form's select. */
  optionText: (option: { id: number; name: string; organisation?: string }, me: CurrentUser | null) => string;
  /** The select's empty choice. */
  blank: string;
  /** Chosen through the record picker (views/partials/recordPicker.ejs) over this kind of rows, not a select. */
  picker?: 'customers' | 'leads' | 'users';
  /** The related record's page and the permission needed to follow the link. */
  href?: (id: number) => string;
  permission?: Permission;
};

export type ListColumn = {
  /** The list's sort key (`?sort=`); absent: the column does not sort. */
  sort?: string;
  /** Columns that break ties after this one, before id (default: createdAt for a choice). */
  tieBreak?: string[];
  /** Classes of the column's cells (and header). */
  cls?: string;
  /** The cell links to the record's page. */
  link?: boolean;
  /** Another field shown in small text under the value, with a prefix. */
  sub?: { name: string; prefix?: string };
  /** Badge colours per choice value. */
  badge?: Record<string, string>;
  /** Shown only when this list local is true (e.g. `others`: the user sees others' rows). */
  when?: string;
  /** Header text when not the label. */
  label?: string;
  /** What an empty cell shows. */
  empty?: string;
};

export type FieldSpec<N extends string = string, S extends z.ZodType = z.ZodType> = {
  name: N;
  label: string;
  kind: FieldKind;
  /** The form value's validation (and its output type). */
  schema: S;
  /** Marked required in the form. */
  required?: boolean;
  /** Who may set it; absent: whoever may add or change the record. Others' forms do not read it. */
  setBy?: (user: CurrentUser) => boolean;
  /** Value → label, in the form's order (choice). */
  choices?: Readonly<Record<string, string>>;
  reference?: Reference;
  /**
   * In the form (default): its width in a 12-column row, help text, extra input attributes, new-form default,
   * and for an optional choice the text of its empty option.
   */
  form?: false | { width?: number; help?: string; attrs?: string; initial?: string; blank?: string };
  /** On the detail page (default yes). */
  detail?: boolean;
  list?: ListColumn;
  /** In the CSV (default yes): header (default the lower-cased label) and an extra column after it. */
  csv?: false | { header?: string; extra?: { header: string; when: string; value: (row: Row) => unknown } };
  /** In the audit diff (default yes). */
  audit?: boolean;
  /** Read by the list's search box. */
  searchable?: boolean;
  /** A money field's currency (ISO 4217) for a row: shown with its symbol ("€12,500.50"); absent: plain. */
  currencyOf?: (row: Row) => string | null | undefined;
};

/** A descriptor with its value functions attached (built once, at module load). */
export type FieldDescriptor<N extends string = string, S extends z.ZodType = z.ZodType> = FieldSpec<N, S> & {
  form: false | { width: number; help?: string; attrs?: string; initial: string; blank?: string };
  /** The value as the user reads it (detail page, list, 409 page): '' when empty. */
  text: (row: Row) => string;
  /** The value put into the edit form. */
  formValue: (row: Row) => string;
  /** The value written to the CSV. */
  csvValue: (row: Row) => unknown;
  /** A stored audit value as the user reads it. */
  auditText: (value: unknown) => string;
};

// Built once: toLocaleString with options builds a new formatter on every call (4% of a list page's CPU).
const MONEY = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 12500.5 → "12,500.50"; null → "". */
export function formatMoney(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  const n = Number(String(v));
  return Number.isFinite(n) ? MONEY.format(n) : String(v);
}

/** A calendar date (a Date at UTC midnight, or its ISO string) → "2026-03-31"; null → "". */
export function formatCalendarDate(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' ? v.slice(0, 10) : '';
}

type Decimal = { toFixed: (digits: number) => string };
const plain = (v: unknown) => (v === null || v === undefined ? '' : String(v));

function valueText(spec: FieldSpec, v: unknown): string {
  switch (spec.kind) {
    case 'money':
      return formatMoney(v);
    case 'date':
      return formatCalendarDate(v);
    case 'datetime':
      return v instanceof Date ? v.toISOString() : plain(v);
    case 'choice':
      return spec.choices?.[plain(v)] ?? plain(v);
    default:
      return plain(v);
  }
}

function describe<N extends string, S extends z.ZodType>(spec: FieldSpec<N, S>): FieldDescriptor<N, S> {
  const ref = spec.reference;
  type Related = { name?: string; active?: boolean } | null | undefined;
  const related = (row: Row) => (ref ? (row[ref.relation] as Related) : null);
  const text = ref
    ? (row: Row) => {
        const r = related(row);
        return r?.name ? r.name + (r.active === false ? ' (inactive)' : '') : '';
      }
    : spec.kind === 'money' && spec.currencyOf
      ? (row: Row) => {
          const currency = spec.currencyOf!(row);
          return currency ? formatAmount(row[spec.name], currency) : formatMoney(row[spec.name]);
        }
      : (row: Row) => valueText(spec, row[spec.name]);
  const formValue = (row: Row) => {
    const v = row[spec.name];
    // A Decimal from the database: 12500.5 → "12500.50", as the form takes it.
    if (spec.kind === 'money') return v === null || v === undefined ? '' : (v as Decimal).toFixed(2);
    if (spec.kind === 'date') return formatCalendarDate(v);
    if (spec.kind === 'datetime') return v instanceof Date ? v.toISOString().slice(0, 16) : '';
    return plain(v);
  };
  const csvValue = ref
    ? (row: Row) => related(row)?.name
    : spec.kind === 'money'
      ? (row: Row) => plain(row[spec.name])
      : spec.kind === 'choice' || spec.kind === 'date'
        ? text
        : (row: Row) => row[spec.name];
  const auditText = (v: unknown) => (ref ? plain(v) : valueText(spec, v));
  const form = spec.form === false ? false : { width: 12, ...spec.form, initial: spec.form?.initial ?? '' };
  return { ...spec, form, text, formValue, csvValue, auditText };
}

/**
 * A record's descriptors, in the order its form, detail page, list and CSV show them. The names
 * and schemas stay literal types, so the form's parsed values are typed (see FormData).
 */
export function defineFields<const D extends readonly FieldSpec[]>(specs: D): Described<D> {
  return specs.map((s) => describe(s)) as unknown as Described<D>;
}
type Described<D extends readonly FieldSpec[]> = {
  readonly [K in keyof D]: D[K] & FieldDescriptor<D[K]['name'], D[K]['schema']>;
};

/** The parsed form of a record: every field's output; a field only some roles set may be absent. */
export type FormData<D extends readonly FieldSpec[]> = {
  [F in D[number] as F['name']]: F extends { setBy: (user: CurrentUser) => boolean }
    ? z.output<F['schema']> | undefined
    : z.output<F['schema']>;
};
