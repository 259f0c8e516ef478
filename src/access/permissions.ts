// Permission codenames of SPEC section 3, grouped by record type for the group checklist.
export const PERMISSION_GROUPS = {
  customer: ['customer.view', 'customer.add', 'customer.change', 'customer.delete'],
  lead: ['lead.view', 'lead.add', 'lead.change', 'lead.delete', 'lead.assign'],
  task: ['task.view', 'task.add', 'task.change', 'task.delete', 'task.assign'],
  appointment: ['appointment.view', 'appointment.add', 'appointment.change', 'appointment.delete'],
  activity: ['activity.view', 'activity.add', 'activity.change', 'activity.delete'],
  administration: ['user.manage', 'group.manage', 'webhook.manage'],
} as const;

export type Permission = (typeof PERMISSION_GROUPS)[keyof typeof PERMISSION_GROUPS][number];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSION_GROUPS).flat();

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/** The group every new company gets, and new staff join unless their creator picks others. */
export const DEFAULT_STAFF_GROUP = {
  name: 'Staff',
  permissions: [
    'customer.view',
    'customer.add',
    'customer.change',
    'lead.view',
    'lead.add',
    'lead.change',
    'task.view',
    'task.add',
    'task.change',
    'appointment.view',
    'appointment.add',
    'appointment.change',
    'activity.view',
    'activity.add',
    'activity.change',
  ] as Permission[],
};
