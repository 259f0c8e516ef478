import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';

const ctx = useTestContext();

describe('sign-in (smoke)', () => {
  it('signs a staff user in through password and emailed code', async () => {
    const company = await ctx.make.company();
    const user = await ctx.make.staff(company.id);
    const s = await signIn(ctx, user);
    const res = await s.get('/dashboard').expect(200);
    expect(res.text).toContain(user.name);
    expect(res.headers['cache-control']).toBe('no-store');
    const row = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastSignInAt).not.toBeNull();
  });

  it('redirects a visitor to /login with next', async () => {
    const res = await request(ctx.app).get('/dashboard').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });
});
