// The preset ranges are kept per zone and calendar day (src/pipeline/range.ts): asked again at another instant of the
// same day they are the same; one minute past midnight in the zone (not in UTC) they are the next day's, in every
// zone; a caller changing its copy changes nothing kept.
import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { presetRange } from '../../src/pipeline/range.ts';

/** Midnight of a calendar day in the zone, as an instant. */
const midnight = (zone: string, y: number, m: number, d: number) => new Date(new TZDate(y, m - 1, d, zone).getTime());

describe('preset ranges', () => {
  it('move at midnight in the zone, not in UTC, and stay the same within a day', () => {
    for (const zone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const newYear = midnight(zone, 2027, 1, 1);
      const before = presetRange('this-month', zone, new Date(newYear.getTime() - 60_000));
      const after = presetRange('this-month', zone, new Date(newYear.getTime() + 60_000));
      expect([before.fromDay, before.toDay], zone).toEqual(['2026-12-01', '2026-12-31']);
      expect([after.fromDay, after.toDay], zone).toEqual(['2027-01-01', '2027-01-31']);
      expect(after.from).toEqual(newYear);
      expect(before.to).toEqual(newYear);
      // Later the same day: the same range.
      expect(presetRange('this-month', zone, new Date(newYear.getTime() + 20 * 3600_000))).toEqual(after);
      const year = presetRange('last-12-months', zone, new Date(newYear.getTime() + 60_000));
      expect([year.fromDay, year.toDay, year.from]).toEqual(['2026-02-01', '2027-01-31', midnight(zone, 2026, 2, 1)]);
    }
  });

  it('hand each caller its own copy', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const first = presetRange('this-quarter', 'UTC', now);
    first.from.setTime(0);
    first.label = 'changed';
    const again = presetRange('this-quarter', 'UTC', now);
    expect([again.label, again.fromDay, again.from]).toEqual([
      'This quarter',
      '2026-10-01',
      new Date('2026-10-01T00:00:00Z'),
    ]);
  });
});
