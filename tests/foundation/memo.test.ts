// boundedMemo (src/web/memo.ts): each key built once and kept, a null kept as a value, and at the bound the cache
// starts again (each key then built once more).
import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/web/memo.ts';

describe('boundedMemo', () => {
  it('builds each key once, keeps null, and starts again at its bound', () => {
    const memo = boundedMemo<string, number | null>(3);
    const built: string[] = [];
    const get = (key: string) =>
      memo(key, () => {
        built.push(key);
        return key === 'none' ? null : key.length;
      });
    expect([get('a'), get('bb'), get('a'), get('none'), get('none'), get('bb')]).toEqual([1, 2, 1, null, null, 2]);
    expect(built).toEqual(['a', 'bb', 'none']);
    // A fourth key at the bound of three: the cache starts again with it, so the others are built again once.
    expect(get('dddd')).toBe(4);
    expect([get('a'), get('dddd'), get('a')]).toEqual([1, 4, 1]);
    expect(built).toEqual(['a', 'bb', 'none', 'dddd', 'a']);
  });
});
