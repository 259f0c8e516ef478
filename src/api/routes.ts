// The API's route table, as data like the pages' (src/web/routes.ts): each line says its access rule (the same
// permissions) and, for an `:id`, the same loader the pages use (src/loaders.ts: out of scope → 404). The API
// access sweep (tests/api/sweep.test.ts) walks this table, so a new line is covered without editing the test.
import type { RequestHandler } from 'express';
import { load } from '../loaders.ts';
import type { Access } from '../web/routes.ts';
import type { ApiDoc } from './doc.ts';
import { createCustomerApi, deleteCustomerApi, updateCustomerApi } from './customerWrites.ts';
import { CUSTOMER_FIELDS } from '../customer/fields.ts';
import { customerApiSchema, listCustomers, showCustomer } from './customers.ts';
import { jsonBodySchema } from './doc.ts';
import { leadApiSchema, listLeads, showLead } from './leads.ts';
import { me, meApiSchema } from './me.ts';
import { ACTIVITY_FIELDS } from '../activity/fields.ts';
import { activityApiSchema, activityCreatedApiSchema, listActivities, showActivity } from './activities.ts';
import { isoTimeSchema } from './activityInput.ts';
import { ACTIVITY_EDITABLE, createActivityApi, deleteActivityApi, updateActivityApi } from './activityWrites.ts';
import { groupApiSchema, groupDetailApiSchema, listGroupsApi, showGroupApi } from './groups.ts';
import { listUsersApi, showUserApi, userApiSchema } from './users.ts';
import { APPOINTMENT_FIELDS } from '../appointment/fields.ts';
import { appointmentApiSchema, listAppointments, showAppointment } from './appointments.ts';
import { createAppointmentApi, deleteAppointmentApi, updateAppointmentApi } from './appointmentWrites.ts';
import { z } from 'zod';

export type ApiMethod = 'get' | 'post' | 'patch' | 'delete';
export type ApiRouteDef = {
  method: ApiMethod;
  path: string;
  access: Exclude<Access, 'public'>;
  /** What the OpenAPI document says about it (src/api/doc.ts). */
  doc: ApiDoc;
  handlers: RequestHandler[];
};

const apiRoute = (
  method: ApiMethod,
  path: string,
  access: ApiRouteDef['access'],
  doc: ApiDoc,
  ...handlers: RequestHandler[]
): ApiRouteDef => ({ method, path, access, doc, handlers });

/** The body keys an appointment's writes read beside its fields. */
const appointmentExtra = (mode: 'create' | 'update') => ({
  attendeeIds: z
    .array(z.int().positive())
    .max(100)
    .optional()
    .describe(
      mode === 'create'
        ? 'User ids of the attendees: active users of its company (staff always attend what they create).'
        : 'The whole new list of attendees (added ones are invited, removed ones told); absent: unchanged.',
    ),
  confirmOverlap: z
    .boolean()
    .optional()
    .describe('true: save even though attendees have other appointments then (else 409 listing the overlaps).'),
  ...(mode === 'create' ? { companyId: z.int().optional().describe('Superusers only: the company.') } : {}),
});

function appointmentRoutes(): ApiRouteDef[] {
  const times = 'Times: ISO 8601 with an offset in, UTC out.';
  return [
    apiRoute(
      'get',
      '/v1/appointments',
      'appointment.view',
      {
        summary: 'List appointments (when=upcoming by default, past or all; staff: those they attend)',
        ok: { status: 200, schema: appointmentApiSchema, list: true },
      },
      listAppointments,
    ),
    apiRoute(
      'post',
      '/v1/appointments',
      'appointment.add',
      {
        summary: `Create an appointment and invite its attendees by mail (with an .ics). ${times}`,
        body: jsonBodySchema(APPOINTMENT_FIELDS, 'create', appointmentExtra('create')),
        ok: { status: 201, schema: appointmentApiSchema },
      },
      createAppointmentApi,
    ),
    apiRoute(
      'get',
      '/v1/appointments/:id',
      'appointment.view',
      { summary: 'Read an appointment with its attendees', ok: { status: 200, schema: appointmentApiSchema } },
      load.appointment,
      showAppointment,
    ),
    apiRoute(
      'patch',
      '/v1/appointments/:id',
      'appointment.change',
      {
        summary: `Change or move an appointment, add or remove attendees (each told by mail). ${times}`,
        body: jsonBodySchema(APPOINTMENT_FIELDS, 'update', appointmentExtra('update')),
        ok: { status: 200, schema: appointmentApiSchema },
      },
      load.appointment,
      updateAppointmentApi,
    ),
    apiRoute(
      'delete',
      '/v1/appointments/:id',
      'appointment.delete',
      {
        summary: 'Delete (cancel) an appointment: its attendees get the cancellation',
        ok: { status: 204, schema: null },
      },
      load.appointment,
      deleteAppointmentApi,
    ),
  ];
}

/** Paths are under /api. */
export const API_ROUTES: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/me',
    'signedIn',
    { summary: 'Who the token acts as', ok: { status: 200, schema: meApiSchema } },
    me,
  ),
  apiRoute(
    'get',
    '/v1/customers',
    'customer.view',
    { summary: 'List customers', ok: { status: 200, schema: customerApiSchema, list: true } },
    listCustomers,
  ),
  apiRoute(
    'post',
    '/v1/customers',
    'customer.add',
    {
      summary: 'Create a customer',
      body: jsonBodySchema(CUSTOMER_FIELDS, 'create', {
        companyId: z.int().optional().describe('Superusers only: the company.'),
      }),
      ok: { status: 201, schema: customerApiSchema },
    },
    createCustomerApi,
  ),
  apiRoute(
    'get',
    '/v1/customers/:id',
    'customer.view',
    { summary: 'Read a customer', ok: { status: 200, schema: customerApiSchema } },
    load.customer,
    showCustomer,
  ),
  apiRoute(
    'patch',
    '/v1/customers/:id',
    'customer.change',
    {
      summary: 'Change a customer',
      body: jsonBodySchema(CUSTOMER_FIELDS, 'update'),
      ok: { status: 200, schema: customerApiSchema },
    },
    load.customer,
    updateCustomerApi,
  ),
  apiRoute(
    'delete',
    '/v1/customers/:id',
    'customer.delete',
    { summary: 'Delete a customer (?detach=true keeps its records without it)', ok: { status: 204, schema: null } },
    load.customer,
    deleteCustomerApi,
  ),
  apiRoute(
    'get',
    '/v1/leads',
    'lead.view',
    { summary: 'List leads', ok: { status: 200, schema: leadApiSchema, list: true } },
    listLeads,
  ),
  apiRoute(
    'get',
    '/v1/leads/:id',
    'lead.view',
    { summary: 'Read a lead', ok: { status: 200, schema: leadApiSchema } },
    load.lead,
    showLead,
  ),
  apiRoute(
    'get',
    '/v1/activities',
    'activity.view',
    { summary: 'List activities', ok: { status: 200, schema: activityApiSchema, list: true } },
    listActivities,
  ),
  apiRoute(
    'post',
    '/v1/activities',
    'activity.add',
    {
      summary: 'Log an activity on a lead or customer (optionally planning a follow-up task)',
      body: jsonBodySchema(ACTIVITY_FIELDS, 'create', {
        occurredAt: isoTimeSchema.optional(),
        followUpTitle: z.string().nullable().optional().describe('The follow-up task: its title.'),
        followUpDue: z.iso.date().nullable().optional().describe('The follow-up task: the day it is due.'),
      }),
      ok: { status: 201, schema: activityCreatedApiSchema },
    },
    createActivityApi,
  ),
  apiRoute(
    'get',
    '/v1/activities/:id',
    'activity.view',
    { summary: 'Read an activity', ok: { status: 200, schema: activityApiSchema } },
    load.activity,
    showActivity,
  ),
  apiRoute(
    'patch',
    '/v1/activities/:id',
    'activity.change',
    {
      summary: 'Correct an activity (its author or an account manager)',
      body: jsonBodySchema(ACTIVITY_EDITABLE, 'update', { occurredAt: isoTimeSchema.optional() }),
      ok: { status: 200, schema: activityApiSchema },
    },
    load.activity,
    updateActivityApi,
  ),
  // Last of the activity routes: the access sweep walks the table in order, and a delete ends the record.
  apiRoute(
    'delete',
    '/v1/activities/:id',
    'activity.delete',
    { summary: 'Delete an activity (its author or an account manager)', ok: { status: 204, schema: null } },
    load.activity,
    deleteActivityApi,
  ),
  apiRoute(
    'get',
    '/v1/users',
    'user.manage',
    { summary: 'List users (account managers)', ok: { status: 200, schema: userApiSchema, list: true } },
    listUsersApi,
  ),
  apiRoute(
    'get',
    '/v1/users/:id',
    'user.manage',
    { summary: 'Read a user (account managers)', ok: { status: 200, schema: userApiSchema } },
    load.user,
    showUserApi,
  ),
  apiRoute(
    'get',
    '/v1/groups',
    'group.manage',
    { summary: 'List groups (account managers)', ok: { status: 200, schema: groupApiSchema, list: true } },
    listGroupsApi,
  ),
  apiRoute(
    'get',
    '/v1/groups/:id',
    'group.manage',
    { summary: 'Read a group with its members (account managers)', ok: { status: 200, schema: groupDetailApiSchema } },
    load.group,
    showGroupApi,
  ),
  ...appointmentRoutes(),
];
