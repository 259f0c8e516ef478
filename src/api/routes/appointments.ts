import { APPOINTMENT_FIELDS } from '../../appointment/fields.ts';
import { appointmentApiSchema, listAppointments, showAppointment } from '../appointments.ts';
import { createAppointmentApi, deleteAppointmentApi, updateAppointmentApi } from '../appointmentWrites.ts';
import { jsonBodySchema } from '../doc.ts';
import { load } from '../../loaders.ts';
import { z } from 'zod';
import { listQueryOf } from '../listQuery.ts';
import { appointmentListSpec } from '../../appointment/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

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

export function appointmentRoutes(): ApiRouteDef[] {
  const times = 'Times: ISO 8601 with an offset in, UTC out.';
  return [
    apiRoute(
      'get',
      '/v1/appointments',
      'appointment.view',
      {
        summary: 'List appointments (when=upcoming by default, past or all; staff: those they attend)',
        query: listQueryOf(appointmentListSpec),
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
        // 409: attendees have other appointments then (`overlaps`), until sent again with confirmOverlap.
        problems: [409],
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
