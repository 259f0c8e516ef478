// dateTimeFormatter's fast path (the zone's offset kept per UTC day) gives what Intl gives for every value,
// across offset changes, half-hour and 45-minute zones and old local mean times with seconds in the offset.
import { describe, expect, it } from 'vitest';
import { dateTimeFormatter } from '../../src/web/time.ts';

function intl(timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (ms: number) => {
    const p: Record<string, string> = {};
    for (const { type, value } of f.formatToParts(ms)) p[type] = value;
    return `${p.year.padStart(4, '0')}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
}

const ZONES = ['UTC', 'Europe/Warsaw', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'];

describe('dateTimeFormatter', () => {
  it('formats as Intl does, through offset changes and in old local mean time', () => {
    for (const zone of ZONES) {
      const fast = dateTimeFormatter(zone);
      const want = intl(zone);
      const wrong: string[] = [];
      const check = (ms: number) => {
        if (fast(new Date(ms)) !== want(ms)) wrong.push(`${zone} ${new Date(ms).toISOString()}`);
      };
      // Every 5 days 7 h 13 min 17 s from 1850 (local mean times) to 2040, then every 53 minutes over two years.
      for (let ms = Date.UTC(1850, 0, 1); ms < Date.UTC(2040, 0, 1); ms += 458_000_000 + 17_000) check(ms);
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 53 * 60_000) check(ms);
      expect(wrong.slice(0, 5)).toEqual([]);
    }
  });

  it('formats years outside 1000–9999 the slow way', () => {
    const f = dateTimeFormatter('Europe/Warsaw');
    expect(f(new Date(Date.UTC(999, 5, 1, 12)))).toBe(intl('Europe/Warsaw')(Date.UTC(999, 5, 1, 12)));
    expect(f(new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-29 01:59');
    expect(f(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29 03:00');
  });
});
