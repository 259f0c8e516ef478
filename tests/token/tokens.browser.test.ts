// API tokens in a browser, at 1366 and 390 px, for each role: made with the form (no script needed), the secret
// shown once, revoked through the confirmation page; axe finds nothing and nothing scrolls sideways. The token made
// in the browser then works against the API. Screenshots go to /tmp/shots/token/.
import { mkdirSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { axeViolations, PHONE, sidewaysOverflow, WIDE } from '../browser/a11y.check.ts';
import { browserAvailable, useBrowser } from '../browser/helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/token';

describe.skipIf(!browserAvailable)('API tokens in a browser', () => {
  it('each role makes a token, sees it once, uses it, and revokes it; accessible at both widths', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    for (const [who, user] of [
      ['staff', w.staffA],
      ['manager', w.managerA],
      ['superuser', w.su],
    ] as const) {
      const { page, problems } = await web.signInAs(user);
      for (const [width, size] of [
        ['1366', WIDE],
        ['390', PHONE],
      ] as const) {
        await page.setViewportSize(size);
        await page.goto(`${web.base}/profile`);
        await page.getByRole('link', { name: 'Manage your API tokens' }).click();
        await page.getByLabel('Name').fill('');
        await page.getByRole('button', { name: 'Create token' }).click();
        expect(await page.locator('#f-name-error').textContent()).toMatch(/Name the token/);
        expect(await axeViolations(page)).toEqual([]);
        await page.getByLabel('Name').fill(`Script ${width}`);
        await page.getByLabel('Access').selectOption('READ');
        await page.getByLabel('Expires after').selectOption('30');
        await page.getByRole('button', { name: 'Create token' }).click();
        const secret = await page.getByLabel('Token', { exact: true }).inputValue();
        expect(secret).toMatch(/^crm_pat_/);
        expect(await axeViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.screenshot({ path: `${SHOTS}/tokens-${who}-${width}.png`, fullPage: true });
        const me = await request(ctx.app).get('/api/v1/me').set('Authorization', `Bearer ${secret}`).expect(200);
        expect(me.body.id).toBe(user.id);
        await page.reload();
        expect(await page.locator('#new-token-value').count()).toBe(0);
        await page.getByRole('link', { name: `Revoke Script ${width}` }).click();
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/revoke-${who}-${width}.png`, fullPage: true });
        await page.getByRole('button', { name: 'Revoke' }).click();
        await page.getByText(`Token "Script ${width}" revoked.`).waitFor();
        await request(ctx.app).get('/api/v1/me').set('Authorization', `Bearer ${secret}`).expect(401);
      }
      // The blank name's 422 at each width is the one expected console error.
      expect(problems.filter((p) => !p.includes('422 (Unprocessable Entity) (http://127.0.0.1'))).toEqual([]);
      expect(problems).toHaveLength(2);
    }
    const rows = await ctx.prisma.apiToken.findMany();
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.revokedAt !== null && r.access === 'READ')).toBe(true);
  }, 180_000);
});
