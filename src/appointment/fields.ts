// The appointment's fields, each declared once (src/fields/): the form (appointmentForm, schema.ts, takes its
// fields' schemas from here and adds the attendees, the end after the start, and times read in the user's zone)
// and the API (its JSON body read into form values by src/fields/json.ts, its OpenAPI body by src/api/doc.ts;
// the times here are read in UTC, as the JSON's moments arrive as UTC wall times).
import { can } from '../access/policy.ts';
import { defineFields } from '../fields/descriptor.ts';
import { field, localDateTime } from '../fields/kinds.ts';

const noOptions = { optionText: (o: { name: string }) => o.name, blank: 'None' };

export const APPOINTMENT_FIELDS = defineFields([
  { name: 'title', label: 'Title', kind: 'line', schema: field.text('title', 200), required: true },
  {
    name: 'customerId',
    label: 'Customer (its id)',
    kind: 'reference',
    schema: field.optionalId('customer'),
    reference: { relation: 'customer', model: 'Customer', options: 'customers', ...noOptions },
  },
  {
    name: 'leadId',
    label: 'Lead (its id; users who may see leads)',
    kind: 'reference',
    schema: field.optionalId('lead'),
    // Without lead.view the form has no lead field (src/web/followUp.ts checkLead: the saved lead stays).
    setBy: (u) => can(u, 'lead.view'),
    reference: { relation: 'lead', model: 'Lead', options: 'leads', ...noOptions },
  },
  { name: 'startsAt', label: 'Start', kind: 'datetime', schema: localDateTime('UTC', true, 'start'), required: true },
  {
    name: 'endsAt',
    label: 'End (after the start)',
    kind: 'datetime',
    schema: localDateTime('UTC', true, 'end'),
    required: true,
  },
  { name: 'location', label: 'Location', kind: 'line', schema: field.optionalLine(200) },
  { name: 'notes', label: 'Notes', kind: 'text', schema: field.optionalText(5000) },
]);
