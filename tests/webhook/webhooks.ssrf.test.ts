// With WEBHOOK_ALLOW_PRIVATE=0 (production's default): URLs that resolve to private, loopback or reserved addresses,
// and plain http, are refused at registration (422, nothing written) and again at delivery (a refused try, no
// request made, no retry). The address rules themselves, IPv4 and IPv6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';
import { TEST_SESSION_SECRET } from '../helpers/app.ts';
import { checkWebhookUrl, isPrivateAddress } from '../../src/webhook/address.ts';
import { newWebhookSecret } from '../../src/webhook/secret.ts';
import { startReceiver, waitFor } from './receiver.ts';

const ctx = useTestContext({ WEBHOOK_ALLOW_PRIVATE: '0' });
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

describe('webhook addresses', () => {
  it('refuses private, loopback, link-local, CGNAT, multicast and reserved ranges, in IPv4 and IPv6', () => {
    const refused = [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
      'not an address',
    ];
    const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450::1'];
    expect(refused.filter((a) => !isPrivateAddress(a))).toEqual([]);
    expect(allowed.filter((a) => isPrivateAddress(a))).toEqual([]);
  });

  it('checks the URL: https only, no credentials, every resolved address public', async () => {
    expect(await checkWebhookUrl('http://8.8.8.8/x', false)).toMatchObject({ ok: false, problem: /https/ });
    expect(await checkWebhookUrl('https://u:p@8.8.8.8/x', false)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('https://localhost/x', false)).toMatchObject({ ok: false, problem: /private/ });
    expect(await checkWebhookUrl('https://[::1]/x', false)).toMatchObject({ ok: false, problem: /private/ });
    expect(await checkWebhookUrl('https://8.8.8.8/x', false)).toMatchObject({ ok: true, address: '8.8.8.8' });
    expect(await checkWebhookUrl('http://127.0.0.1:9/x', true)).toMatchObject({ ok: true, address: '127.0.0.1' });
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE', () => {
  it('refuses a URL resolving to 127.0.0.1 at registration: 422, nothing written', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    for (const url of ['https://127.0.0.1/hook', 'https://localhost:8443/hook', 'https://[::ffff:127.0.0.1]/h']) {
      const res = await s.post('/webhooks', { url, description: 'Local', events: ['lead.won'] }).expect(422);
      expect(fieldError(res.text, 'url')).toMatch(/private, loopback or reserved address/);
      expect(fieldValue(res.text, 'url')).toBe(url);
    }
    const http = await s.post('/webhooks', { url: receiver.url, events: ['lead.won'] }).expect(422);
    expect(fieldError(http.text, 'url')).toMatch(/must start with https/);
    expect(await ctx.prisma.webhookEndpoint.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count()).toBe(0);
  });

  it('refuses it again at delivery (an endpoint saved before, or a name that now resolves privately)', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const url = receiver.url.replace('http:', 'https:');
    const { secretSealed, secretPrefix } = newWebhookSecret(TEST_SESSION_SECRET);
    expect(secretSealed).not.toMatch(/whsec_/);
    const hook = await ctx.prisma.webhookEndpoint.create({
      data: { companyId: w.a.id, url, events: ['lead.won'], secretSealed, secretPrefix },
    });
    await s.post(`/webhooks/${hook.id}/test`).expect(303);
    const [tried] = await waitFor('the refused try', async () => {
      const rows = await ctx.prisma.webhookDelivery.findMany({ where: { endpointId: hook.id } });
      return rows.length ? rows : null;
    });
    expect(tried).toMatchObject({ attempt: 1, statusCode: null, succeeded: false, error: /^Refused: .*private/ });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await ctx.prisma.webhookDelivery.count()).toBe(1);
    expect(receiver.received).toEqual([]);
  });
});
