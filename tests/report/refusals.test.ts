// The reports' refusal side: no lead.view → 403 (and no nav link); a superuser without a company gets the
// company picker, never a sum across currencies; a bad custom range is a 422 with the error beside its field;
// another company's ids in the query give nothing of that company; a repeated parameter is a 400.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { downloadCsv } from '../helpers/csv.ts';
import { all, fieldError, fieldValue, optionValues, text } from '../helpers/html.ts';
import { limitedStaff } from '../helpers/world.ts';
import { RANGE, reportWorld } from './world.ts';

const ctx = useTestContext();

describe('reports: refusals', () => {
  it('needs lead.view: 403 for the page and the CSV, and no Reports link in the menu', async () => {
    const w = await reportWorld(ctx);
    const tasksOnly = await limitedStaff(ctx, w.a.id, ['task.view']);
    const s = await w.as(tasksOnly);
    const page = await s.get('/reports').expect(403);
    expect(page.text).toContain('lead.view');
    await s.get(`/reports/export.csv?by=person&${RANGE}`).expect(403);
    const home = (await s.get('/dashboard').expect(200)).text;
    expect(all(home, 'a[href="/reports"]')).toEqual([]);
    const manager = (await (await w.as(w.managerA)).get('/dashboard').expect(200)).text;
    expect(all(manager, 'a[href="/reports"]').length).toBeGreaterThan(0);
  });

  it('a superuser without a company gets the picker, no figures; an unknown company: 422 beside it', async () => {
    const w = await reportWorld(ctx);
    const s = await w.as(w.su);
    const picker = (await s.get(`/reports?by=month&${RANGE}`).expect(200)).text;
    expect(optionValues(picker, 'companyId').sort()).toEqual([String(w.a.id), String(w.b.id)].sort());
    expect(all(picker, 'table.report-table')).toEqual([]);
    expect(picker).not.toContain('Export CSV');
    expect(text(picker, '[role="status"]')).toContain('choose a company');
    // The CSV without a company: the picker again, with the reason beside the field.
    const csv = await s.get(`/reports/export.csv?by=month&${RANGE}`).expect(422);
    expect(fieldError(csv.text, 'companyId')).toContain('Choose a company');
    for (const bad of ['999999', 'abc', '-1']) {
      const res = await s.get(`/reports?by=person&companyId=${bad}`);
      expect(res.status, bad).toBe(bad === '999999' ? 422 : 200);
      expect(all(res.text, 'table.report-table'), bad).toEqual([]);
    }
    const unknown = (await s.get('/reports?companyId=999999').expect(422)).text;
    expect(fieldError(unknown, 'companyId')).toBe('Choose a company from the list.');
  });

  it('a bad custom range: 422, the error beside its field, typed values kept, the default range shown', async () => {
    const w = await reportWorld(ctx);
    const s = await w.as(w.managerA);
    const cases: [string, string, string][] = [
      ['from=2026-02-30&to=2026-03-01', 'from', 'Enter the first day as a date (yyyy-mm-dd).'],
      ['from=2026-03-01&to=2026-02-01', 'to', 'The last day must not be before the first day.'],
      ['from=&to=2026-02-01', 'from', 'Enter the first day as a date (yyyy-mm-dd).'],
      ['from=1900-01-01&to=2026-02-01', 'to', 'Choose at most ten years.'],
    ];
    for (const [range, field, message] of cases) {
      for (const path of ['/reports', '/reports/export.csv']) {
        const res = await s.get(`${path}?by=source&range=custom&${range}`).expect(422);
        expect(fieldError(res.text, field), `${path} ${range}`).toBe(message);
        const input = all(res.text, `input[name="${field}"]`)[0];
        expect(input.attribs['aria-describedby']).toBe(`f-${field}-error`);
        expect(fieldValue(res.text, 'range')).toBe('custom');
        const typed = new URLSearchParams(range).get(field);
        expect(fieldValue(res.text, field)).toBe(typed);
        // The default range's figures are shown under the refused form.
        expect(text(res.text, '#report-heading')).toContain('This month');
      }
    }
  });

  it('another company’s ids in the query give nothing of that company', async () => {
    const w = await reportWorld(ctx);
    const s = await w.as(w.managerA);
    // companyId is not the manager's to choose: ignored, the manager's own company is shown.
    const own = await downloadCsv(s.get(`/reports/export.csv?by=source&${RANGE}`));
    const foreign = await downloadCsv(s.get(`/reports/export.csv?by=source&${RANGE}&companyId=${w.b.id}`));
    expect(foreign.rows).toEqual(own.rows);
    // Company B's person: every figure zero, none of B's amounts anywhere.
    for (const by of ['person', 'source', 'month', 'reason']) {
      const csv = await downloadCsv(s.get(`/reports/export.csv?by=${by}&${RANGE}&assigneeId=${w.staffB.id}`));
      expect(csv.text).not.toContain('77777');
      expect(csv.text).not.toContain('66666');
      expect(csv.text).not.toContain('Sue Bravo');
      const total = csv.rows.at(-1)!;
      expect(total.slice(1, 3).map(Number)).toEqual([0, 0]);
      const page = (await s.get(`/reports?by=${by}&${RANGE}&assigneeId=${w.staffB.id}`).expect(200)).text;
      expect(page).not.toContain('77,777');
      expect(page).not.toContain('Sue Bravo');
    }
    // Staff cannot narrow to a colleague: the filter is ignored and they see their own deals only.
    const staff = await w.as(w.staffA);
    const mine = await downloadCsv(staff.get(`/reports/export.csv?by=person&${RANGE}`));
    const asked = await downloadCsv(staff.get(`/reports/export.csv?by=person&${RANGE}&assigneeId=${w.colleagueA.id}`));
    expect(asked.rows).toEqual(mine.rows);
    expect(mine.rows.map((r) => r[0])).toEqual(['Steve Alpha', 'Total']);
  });

  it('unknown report kinds fall back to the first; a repeated parameter is a 400', async () => {
    const w = await reportWorld(ctx);
    const s = await w.as(w.managerA);
    const page = (await s.get('/reports?by=nonsense&range=nonsense').expect(200)).text;
    expect(text(page, 'nav[aria-label="Reports"] a[aria-current="page"]')).toBe('By person');
    await s.get('/reports?by=person&by=source').expect(400);
    await s.get('/reports/export.csv?range=this-month&range=last-month').expect(400);
  });
});
