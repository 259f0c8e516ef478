// With WEBHOOK_ALLOW_PRIVATE=0 (production's default): URLs that resolve to private, loopback or reserved addresses,
// and plain http, are refused at registration (422, nothing written) and again at delivery (a refused try, no
// request made, no retry). The address rules themselves, IPv4 and IPv6 (with the IPv6 forms that embed IPv4).
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

  it('refuses IPv6 forms that embed an IPv4 address: compatible, translated, Teredo; NAT64 of a private one', () => {
    const refused = [
      // IPv4-compatible ::/96 (deprecated), whatever the address it embeds
      '::7f00:1',
      '::127.0.0.1',
      '::a00:1',
      '::a9fe:a9fe',
      '::808:808',
      // IPv4-translated ::ffff:0:0:0/96 (SIIT), whatever it embeds
      '::ffff:0:7f00:1',
      '::ffff:0:127.0.0.1',
      '::ffff:0:808:808',
      // Teredo 2001::/32 (a tunnel to the IPv4 address it embeds)
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:0:ffff:ffff:ffff:ffff:ffff:ffff',
      // NAT64's well-known prefix 64:ff9b::/96 when the IPv4 address it embeds is private, loopback or reserved
      '64:ff9b::a00:1',
      '64:ff9b::10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::c0a8:101',
      '64:ff9b::0:7f00:1',
      '64:ff9b:0:0:0:0:7f00:1',
      '64:ff9b::6440:1',
      '64:ff9b::ffff:ffff',
      // NAT64's local-use prefix 64:ff9b:1::/48, whatever it embeds
      '64:ff9b:1::808:808',
    ];
    // NAT64 of a public IPv4 address (what DNS64 gives for an IPv4-only host), and IPv6 next to these ranges.
    const allowed = [
      '64:ff9b::808:808',
      '64:ff9b::8.8.8.8',
      '64:ff9b::101:101',
      '2001:4860:4860::8888',
      '2001:1:4136:e378::1',
      '1::7f00:1',
      '::1:0:7f00:1',
    ];
    expect(refused.filter((a) => !isPrivateAddress(a))).toEqual([]);
    expect(allowed.filter((a) => isPrivateAddress(a))).toEqual([]);
  });

  it('checks the URL: https only, no credentials, every resolved address public', async () => {
    expect(await checkWebhookUrl('http://8.8.8.8/x', false)).toMatchObject({ ok: false, problem: /https/ });
    expect(await checkWebhookUrl('https://u:p@8.8.8.8/x', false)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('https://localhost/x', false)).toMatchObject({ ok: false, problem: /private/ });
    expect(await checkWebhookUrl('https://[::1]/x', false)).toMatchObject({ ok: false, problem: /private/ });
    for (const url of [
      'https://[::7f00:1]/',
      'https://[::127.0.0.1]/',
      'https://[::ffff:0:a00:1]/',
      'https://[2001::1]/',
    ])
      expect(await checkWebhookUrl(url, false)).toMatchObject({ ok: false, problem: /private/ });
    expect(await checkWebhookUrl('https://[64:ff9b::a9fe:a9fe]/x', false)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('https://[64:ff9b::8.8.8.8]/x', false)).toMatchObject({ ok: true });
    expect(await checkWebhookUrl('https://8.8.8.8/x', false)).toMatchObject({ ok: true, address: '8.8.8.8' });
    expect(await checkWebhookUrl('http://127.0.0.1:9/x', true)).toMatchObject({ ok: true, address: '127.0.0.1' });
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE', () => {
  it('refuses a URL resolving to 127.0.0.1 at registration: 422, nothing written', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://localhost:8443/hook',
      'https://[::ffff:127.0.0.1]/h',
      'https://[::7f00:1]/h',
      'https://[2001::7f00:1]/h',
      'https://[64:ff9b::a9fe:a9fe]/latest/meta-data',
    ]) {
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
