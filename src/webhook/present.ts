// The records of task and appointment events as a receiver reads them: small presenters kept here until the API has
// its own (then these give way to src/api's). Leads and customers are presented by src/api (presentLead,
// presentCustomer), so a webhook says what the API would.
type TaskRow = {
  id: number;
  companyId: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  dueAt: Date | null;
  completedAt: Date | null;
  assigneeId: number;
  customerId: number | null;
  leadId: number | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const presentWebhookTask = (t: TaskRow) => ({
  id: t.id,
  title: t.title,
  description: t.description,
  status: t.status,
  priority: t.priority,
  dueAt: iso(t.dueAt),
  completedAt: iso(t.completedAt),
  assigneeId: t.assigneeId,
  customerId: t.customerId,
  leadId: t.leadId,
  version: t.version,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

type AppointmentRow = {
  id: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  notes: string;
  customerId: number | null;
  leadId: number | null;
  organiserId: number | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export const presentWebhookAppointment = (a: AppointmentRow, attendeeIds: number[]) => ({
  id: a.id,
  title: a.title,
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt.toISOString(),
  location: a.location,
  notes: a.notes,
  customerId: a.customerId,
  leadId: a.leadId,
  organiserId: a.organiserId,
  attendeeIds: [...attendeeIds].sort((x, y) => x - y),
  version: a.version,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
