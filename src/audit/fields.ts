// What the audit trail calls each record type and each of its fields, and how it shows their
// values: the registry that turns { assigneeId: [3, 7] } into "Assigned to: Olivia Bennett → Jonas Fischer".
// One entry per record type; each returns its field set from a function, so a record type whose
// fields are declared elsewhere (src/fields descriptors) can answer from there instead.
import { ACTIVITY_AUDIT } from '../activity/fields.ts';
import { CUSTOMER_AUDIT } from '../customer/fields.ts';
import { LEAD_AUDIT } from '../lead/fields.ts';
import { PRIORITY_LABELS, STATUS_LABELS as TASK_STATUS_LABELS } from '../task/schema.ts';
import { ROLE_LABELS } from '../user/schema.ts';

/** Record types a reference value can point at (their names are looked up, scoped, in one statement). */
export type ReferenceModel =
  | 'User'
  | 'Customer'
  | 'Company'
  | 'Lead'
  | 'Task'
  | 'Appointment'
  | 'Group'
  | 'Activity'
  | 'Import';

/** How a value is shown. */
export type AuditFieldKind =
  | { kind: 'text' }
  | { kind: 'money' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'yesNo' }
  | { kind: 'list' }
  | { kind: 'counts'; labels: Readonly<Record<string, string>> }
  | { kind: 'enum'; labels: Readonly<Record<string, string>> }
  /** Shown by the record's own field descriptor (src/fields), which knows its kind. */
  | { kind: 'formatted'; show: (value: unknown) => string }
  | { kind: 'reference'; to: ReferenceModel }
  | { kind: 'references'; to: ReferenceModel };

export type AuditField = { label: string } & AuditFieldKind;
export type AuditFieldSet = Readonly<Record<string, AuditField>>;

const text = (label: string): AuditField => ({ label, kind: 'text' });
const datetime = (label: string): AuditField => ({ label, kind: 'datetime' });
const yesNo = (label: string): AuditField => ({ label, kind: 'yesNo' });
const list = (label: string): AuditField => ({ label, kind: 'list' });
const choice = (label: string, labels: Readonly<Record<string, string>>): AuditField => ({
  label,
  kind: 'enum',
  labels,
});
const ref = (label: string, to: ReferenceModel): AuditField => ({ label, kind: 'reference', to });

/** A record's descriptor-side audit fields (src/fields/audit.ts auditFields(...)), as this registry's fields. */
export type DescribedAuditFields = Readonly<
  Record<string, { label: string; show: (value: unknown) => string; reference?: 'User' | 'Customer' | 'Lead' }>
>;

/** The registry's fields from a record's field descriptors: references are looked up, the rest shown as described. */
export function fromFieldDescriptors(described: DescribedAuditFields): AuditFieldSet {
  return Object.fromEntries(
    Object.entries(described).map(([name, f]): [string, AuditField] => [
      name,
      f.reference
        ? { label: f.label, kind: 'reference', to: f.reference }
        : { label: f.label, kind: 'formatted', show: f.show },
    ]),
  );
}

/** Lead's audited fields: its field descriptors (src/lead/fields.ts), plus what conversion records. */
export const leadAuditFields = (): AuditFieldSet => ({
  ...fromFieldDescriptors(LEAD_AUDIT.fields),
  newCustomer: yesNo('New customer created'),
  activitiesMoved: text('Activities moved to the customer'),
  tasksMoved: text('Tasks moved to the customer'),
  appointmentsMoved: text('Appointments moved to the customer'),
  activitiesDeleted: text('Activities deleted with it'),
});

/** Customer's audited fields: its field descriptors (src/customer/fields.ts), plus conversion and deletion. */
export const customerAuditFields = (): AuditFieldSet => ({
  ...fromFieldDescriptors(CUSTOMER_AUDIT.fields),
  fromLead: ref('Converted from lead', 'Lead'),
  detached: {
    label: 'Detached',
    kind: 'counts',
    labels: { leads: 'leads', tasks: 'tasks', appointments: 'appointments' },
  },
  activitiesDeleted: text('Activities deleted with it'),
});

/** Activity's audited fields: its field descriptors (src/activity/fields.ts), when it happened and its author. */
const activityAuditFields = (): AuditFieldSet => ({
  ...fromFieldDescriptors(ACTIVITY_AUDIT.fields),
  occurredAt: datetime('When'),
  authorId: ref('Author', 'User'),
});

const taskAuditFields = (): AuditFieldSet => ({
  title: text('Title'),
  description: text('Description'),
  customerId: ref('Customer', 'Customer'),
  leadId: ref('Lead', 'Lead'),
  assigneeId: ref('Assigned to', 'User'),
  dueAt: datetime('Due'),
  priority: choice('Priority', PRIORITY_LABELS),
  status: choice('Status', TASK_STATUS_LABELS),
  completedAt: datetime('Completed'),
});

const appointmentAuditFields = (): AuditFieldSet => ({
  title: text('Title'),
  customerId: ref('Customer', 'Customer'),
  leadId: ref('Lead', 'Lead'),
  startsAt: datetime('Starts'),
  endsAt: datetime('Ends'),
  location: text('Location'),
  notes: text('Notes'),
  attendeeIds: { label: 'Attendees', kind: 'references', to: 'User' },
});

const userAuditFields = (): AuditFieldSet => ({
  name: text('Name'),
  email: text('Email'),
  timeZone: text('Time zone'),
  role: choice('Role', ROLE_LABELS),
  active: yesNo('Active'),
  groups: list('Groups'),
  added: list('Added to'),
  removed: list('Removed from'),
});

const companyAuditFields = (): AuditFieldSet => ({
  name: text('Name'),
  slug: text('Short name'),
  active: yesNo('Active'),
});

const groupAuditFields = (): AuditFieldSet => ({
  name: text('Name'),
  permissions: list('Permissions'),
  members: list('Members'),
  added: list('Members added'),
  removed: list('Members removed'),
});

/** An import's entry (src/import): the file and what became of its rows; its undo, what was put back. */
const importAuditFields = (): AuditFieldSet => ({
  fileName: text('File'),
  kind: text('Records'),
  created: text('Created'),
  updated: text('Updated'),
  skipped: text('Skipped'),
  failed: text('Failed'),
  deleted: text('Deleted'),
  restored: text('Restored'),
});

export type AuditRecordType = {
  /** The record type in words ("Lead"), and in a sentence ("lead"). */
  label: string;
  noun: string;
  /** Its pages: `${path}/${id}` is a record's page. */
  path: string;
  fields: () => AuditFieldSet;
};

/** Every record type the trail records, by the model name its entries carry. */
export const AUDIT_RECORD_TYPES = {
  Lead: { label: 'Lead', noun: 'lead', path: '/leads', fields: leadAuditFields },
  Customer: { label: 'Customer', noun: 'customer', path: '/customers', fields: customerAuditFields },
  Task: { label: 'Task', noun: 'task', path: '/tasks', fields: taskAuditFields },
  Appointment: { label: 'Appointment', noun: 'appointment', path: '/appointments', fields: appointmentAuditFields },
  User: { label: 'User', noun: 'user', path: '/users', fields: userAuditFields },
  Company: { label: 'Company', noun: 'company', path: '/companies', fields: companyAuditFields },
  Group: { label: 'Group', noun: 'group', path: '/groups', fields: groupAuditFields },
  Activity: { label: 'Activity', noun: 'activity', path: '/activities', fields: activityAuditFields },
  Import: { label: 'Import', noun: 'import', path: '/imports', fields: importAuditFields },
} as const satisfies Record<ReferenceModel, AuditRecordType>;

export type AuditModel = keyof typeof AUDIT_RECORD_TYPES;

export const isAuditModel = (value: string): value is AuditModel => Object.hasOwn(AUDIT_RECORD_TYPES, value);

/** "estimatedValue" → "Estimated value": the label of a key no registry entry names (an old entry's field). */
export const humanize = (key: string): string => {
  const words = key
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The field of a record type, or a text field labelled from its key. */
export function auditField(model: string, key: string): AuditField {
  const known = isAuditModel(model) ? AUDIT_RECORD_TYPES[model].fields()[key] : undefined;
  return known ?? text(humanize(key));
}
