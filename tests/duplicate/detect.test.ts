// Duplicate detection itself (issue 16 item 5): each rule from both sides, the scope, the ranking and its cost.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import { findDuplicates } from '../../src/duplicate/detect.ts';
import { phoneCountryOf, phoneKeyOf } from '../../src/duplicate/keys.ts';
import { phone, seededPhoneKey } from '../../src/seed/builders.ts';
import { createRandom } from '../../src/seed/random.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const scoped = (user: { id: number; role: 'SUPERUSER' | 'ACCOUNT_MANAGER' | 'STAFF'; companyId: number | null }) =>
  scope(ctx.prisma, user);

describe('phoneKeyOf', () => {
  it('reads national and international numbers as one E.164 key; short or empty ones make no key', () => {
    expect(phoneKeyOf('+44 20 7946 0000')).toBe('+442079460000');
    expect(phoneKeyOf('020 7946 0000', 'GB')).toBe('+442079460000');
    expect(phoneKeyOf('0044 (20) 7946-0000', 'GB')).toBe('+442079460000');
    expect(phoneKeyOf('030 1234567', 'DE')).toBe('+49301234567');
    expect(phoneKeyOf('+49 30 1234567', 'GB')).toBe('+49301234567');
    expect(phoneKeyOf('12')).toBe('');
    expect(phoneKeyOf('')).toBe('');
    expect(phoneKeyOf(null)).toBe('');
  });

  it('the seed writes the key phoneKeyOf would (without parsing each seeded number)', () => {
    const random = createRandom(7);
    for (let i = 0; i < 50; i++) {
      const seeded = phone(random);
      expect(seededPhoneKey(seeded)).toBe(phoneKeyOf(seeded, 'DE'));
    }
  });

  it('takes the company default country from its currency (the euro reads as Germany, else GB)', () => {
    expect(phoneCountryOf('GBP')).toBe('GB');
    expect(phoneCountryOf('USD')).toBe('US');
    expect(phoneCountryOf('CHF')).toBe('CH');
    expect(phoneCountryOf('EUR')).toBe('DE');
    expect(phoneCountryOf('XAU')).toBe('GB');
  });
});

describe('findDuplicates', () => {
  it('finds a customer by the same email, the same phone written otherwise, or a similar name', async () => {
    const byEmail = await w.customer(w.a.id, { name: 'Zed Unrelated', email: 'ada@example.test' });
    const byPhone = await w.customer(w.a.id, { name: 'Yan Other', email: 'y@example.test', phone: '+44 20 7946 0000' });
    const byName = await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'x@example.test', organisation: 'Engines' });
    await w.customer(w.a.id, { name: 'Jane Smith', email: 'jane@example.test' });
    await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'ada2@example.test', organisation: 'Globex Trading' });
    const db = scoped(w.managerA);
    const matches = await findDuplicates(db, w.managerA, 'customer', {
      companyId: w.a.id,
      name: 'Ada Lovelac',
      email: 'ADA@example.test ',
      phone: '020 7946 0000',
      organisation: 'Engines Ltd',
    });
    expect(matches.map((m) => [m.id, m.reasons])).toEqual([
      [byEmail.id, ['email']],
      [byPhone.id, ['phone']],
      [byName.id, ['name']],
    ]);
    expect(matches[0]).toMatchObject({ href: `/customers/${byEmail.id}`, because: 'same email' });
  });

  it('never reports a record of another company, not even for the same email, phone and name', async () => {
    await w.customer(w.b.id, { name: 'Ada Lovelace', email: 'ada@example.test', phone: '+44 20 7946 0000' });
    const candidate = { name: 'Ada Lovelace', email: 'ada@example.test', phone: '+44 20 7946 0000' };
    expect(
      await findDuplicates(scoped(w.managerA), w.managerA, 'customer', { ...candidate, companyId: w.a.id }),
    ).toEqual([]);
    // A crafted company id does not cross the scope either.
    expect(
      await findDuplicates(scoped(w.managerA), w.managerA, 'customer', { ...candidate, companyId: w.b.id }),
    ).toEqual([]);
    // A superuser compares within the record's own company.
    const su = await findDuplicates(scoped(w.su), w.su, 'customer', { ...candidate, companyId: w.a.id });
    expect(su).toEqual([]);
    expect(await findDuplicates(scoped(w.su), w.su, 'customer', { ...candidate, companyId: w.b.id })).toHaveLength(1);
  });

  it('excludes the record being edited, and finds nothing when there is nothing to compare', async () => {
    const c = await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'ada@example.test' });
    const db = scoped(w.managerA);
    const own = { companyId: w.a.id, name: 'Ada Lovelace', email: 'ada@example.test' };
    expect(await findDuplicates(db, w.managerA, 'customer', own, { excludeId: c.id })).toEqual([]);
    expect(await findDuplicates(db, w.managerA, 'customer', { companyId: w.a.id, name: ' ' })).toEqual([]);
  });

  it('staff see only matches among their own leads; an account manager sees the company’s', async () => {
    const mine = await w.lead(w.a.id, w.staffA.id, { title: 'Mine', contactName: 'Ada Lovelace' });
    const theirs = await w.lead(w.a.id, w.colleagueA.id, { title: 'Theirs', email: 'ada@example.test' });
    const candidate = { companyId: w.a.id, name: 'Ada Lovelace', title: 'New deal', email: 'ada@example.test' };
    const staff = await findDuplicates(scoped(w.staffA), w.staffA, 'lead', candidate);
    expect(staff.map((m) => m.id)).toEqual([mine.id]);
    const manager = await findDuplicates(scoped(w.managerA), w.managerA, 'lead', candidate);
    expect(manager.map((m) => [m.id, m.reasons])).toEqual([
      [theirs.id, ['email']],
      [mine.id, ['name']],
    ]);
    expect(manager[1]).toMatchObject({ name: 'Mine', contactName: 'Ada Lovelace', href: `/leads/${mine.id}` });
  });

  it('compares a lead without a contact name by its title', async () => {
    const l = await w.lead(w.a.id, w.staffA.id, { title: 'Website redesign for Acme', contactName: '' });
    const found = await findDuplicates(scoped(w.staffA), w.staffA, 'lead', {
      companyId: w.a.id,
      title: 'Website redesign for ACME',
    });
    expect(found.map((m) => m.id)).toEqual([l.id]);
  });

  it('costs one statement whatever it compares', async () => {
    await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'ada@example.test' });
    const rec = recordStatements(ctx.db.pool);
    const user = await loadCurrentUser(ctx.prisma, w.managerA.id);
    const db = scoped(user!);
    const { statements } = await rec.during(() =>
      findDuplicates(db, user!, 'customer', {
        companyId: w.a.id,
        name: 'Ada',
        email: 'ada@example.test',
        phone: '+44 20 7946 0000',
        organisation: 'X',
      }),
    );
    expect(statements).toHaveLength(1);
  });
});
