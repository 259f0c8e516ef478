// The quick-log partial (views/activity/_quickLog.ejs), which the lead's and customer's timelines include with
// { leadId, customerId, returnTo, values, errors }: rendered alone here with those locals, every field labelled,
// and what it posts logs the activity (and its follow-up) and goes back to the record.
import path from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_FIELDS } from '../../src/activity/fields.ts';
import { VIEWS_DIR } from '../../src/web/views.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, fieldError, fieldValue, formFields } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { activityWorld } from './world.ts';

const ctx = useTestContext();
const FILE = path.join(VIEWS_DIR, 'activity/_quickLog.ejs');

function renderQuickLog(locals: Record<string, unknown>, csrf = 'token') {
  return ejs.renderFile(
    FILE,
    { csrfToken: () => csrf, currentUser: { timeZone: 'Europe/Warsaw' }, fields: ACTIVITY_FIELDS, ...locals },
    { filename: FILE, root: VIEWS_DIR, views: [VIEWS_DIR], async: false },
  );
}

describe('the quick-log partial', () => {
  it('renders with only the ids and returnTo; every field has its label', async () => {
    const html = await renderQuickLog({ leadId: 7, customerId: null, returnTo: '/leads/7' });
    expect(all(html, 'form[action="/activities"][method="post"]')).toHaveLength(1);
    expect(fieldValue(html, 'leadId')).toBe('7');
    expect(fieldValue(html, 'customerId')).toBeNull();
    expect(fieldValue(html, 'kind')).toBe('CALL');
    expect(fieldValue(html, 'returnTo')).toBe('/leads/7');
    expect(fieldValue(html, '_csrf')).toBe('token');
    for (const name of [
      'kind',
      'summary',
      'details',
      'occurredAt',
      'callOutcome',
      'durationMinutes',
      'followUpTitle',
      'followUpDue',
    ])
      expect(all(html, `label[for="f-${name}"]`)).toHaveLength(1);
    expect(html).toContain('Europe/Warsaw');
  });

  it('shows the values and errors it is given beside their fields', async () => {
    const html = await renderQuickLog({
      leadId: null,
      customerId: 3,
      returnTo: '/customers/3',
      values: { kind: 'NOTE', summary: 'Typed', details: 'More' },
      errors: { summary: 'Enter the summary.', customerId: 'Choose a customer you can see.' },
    });
    expect(fieldValue(html, 'kind')).toBe('NOTE');
    expect(fieldValue(html, 'details')).toBe('More');
    expect(fieldError(html, 'summary')).toBe('Enter the summary.');
    expect(html).toContain('Choose a customer you can see.');
  });

  it('posted as a browser would, it logs the call and the follow-up and returns to the lead', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const back = `/leads/${w.convertedLead.id}`;
    const html = await renderQuickLog(
      { leadId: w.convertedLead.id, customerId: w.customer.id, returnTo: back },
      s.csrf,
    );
    const fields = formFields(html, '/activities') as Record<string, string>;
    const res = await s.agent
      .post('/activities')
      .type('form')
      .send({ ...fields, summary: 'Quick call', callOutcome: 'NO_ANSWER', followUpDue: '2026-12-03' })
      .expect(303);
    expect(res.headers.location).toBe(back);
    const a = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'Quick call' } });
    expect(a).toMatchObject({ kind: 'CALL', leadId: w.convertedLead.id, customerId: w.customer.id });
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { leadId: w.convertedLead.id } });
    expect(task.title).toBe('Follow up on Quick call');
    // A 422 from the quick-log renders the full form, keeping returnTo and what was typed.
    const bad = await s.agent
      .post('/activities')
      .type('form')
      .send({ ...fields, summary: '', details: 'Kept text' })
      .expect(422);
    expect(fieldValue(bad.text, 'details')).toBe('Kept text');
    expect(fieldValue(bad.text, 'returnTo')).toBe(back);
    expect(fieldError(bad.text, 'summary')).toContain('Enter the summary');
  });
});
