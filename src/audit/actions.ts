// The actions an audit entry can record, with the words the trail shows for them. A new kind of
// change adds its action here first: recordAudit accepts nothing else.
export const AUDIT_ACTIONS = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  assign: 'Reassigned',
  convert: 'Converted',
  merge: 'Merged',
  detach: 'Detached from its customer',
  role: 'Role changed',
  groups: 'Groups changed',
  invite: 'Invitation sent',
  activate: 'Reactivated',
  deactivate: 'Deactivated',
  import: 'Imported',
  undoImport: 'Import undone',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(AUDIT_ACTIONS, value);

/** The words for an action; an entry written before an action was renamed keeps its raw name. */
export const actionLabel = (action: string): string => (isAuditAction(action) ? AUDIT_ACTIONS[action] : action);
