// A bounded "get or build" cache for values derived from a few keys that recur all day (a zone, a zone's calendar
// day, a preset range, a week's frame): each is built once and kept. At `max` entries the cache starts again: the
// keys in use at any time are a handful, so the bound only guards against a flood of unexpected keys. A Map does
// it in a few lines; a least-recently-used package would add nothing the bound needs.

/** A function of (key, build): the kept value for `key`, or build()'s, kept (a null value is kept too). */
export function boundedMemo<K, V>(max: number): (key: K, build: () => V) => V {
  const kept = new Map<K, V>();
  return (key, build) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = build();
    if (kept.size >= max) kept.clear();
    kept.set(key, value);
    return value;
  };
}
