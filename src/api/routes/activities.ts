// The API's routes for activities: see src/api/routes.ts.
import { ACTIVITY_EDITABLE, createActivityApi, deleteActivityApi, updateActivityApi } from '../activityWrites.ts';
import { ACTIVITY_FIELDS } from '../../activity/fields.ts';
import { activityApiSchema, activityCreatedApiSchema, listActivities, showActivity } from '../activities.ts';
import { isoTimeSchema } from '../activityInput.ts';
import { jsonBodySchema } from '../doc.ts';
import { load } from '../../loaders.ts';
import { z } from 'zod';
import { listQueryOf } from '../listQuery.ts';
import { activityListSpec } from '../../activity/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

export const activitiesRoutes: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/activities',
    'activity.view',
    {
      summary: 'List activities',
      query: listQueryOf(activityListSpec),
      ok: { status: 200, schema: activityApiSchema, list: true },
    },
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
];
