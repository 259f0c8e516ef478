// One measurement: autocannon against a URL for a while, latencies taken from each response's own
// timing (autocannon's summary rounds to whole milliseconds, too coarse for a 3 ms bare page).
import autocannon from 'autocannon';

export type Measurement = { rps: number; p50: number; p99: number; requests: number; failed: number };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A few requests first (caches, prepared plans), then `duration` seconds at `connections`. */
export async function measure(
  url: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Measurement> {
  for (let i = 0; i < 3; i++) {
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
  }
  const latencies: number[] = [];
  const run = autocannon({ url, connections, duration, headers, timeout: 30 });
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const r = await run;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / r.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failed: r.non2xx + r.errors + r.timeouts,
  };
}

/** Samples a number every 200 ms while `work` runs; returns the work's result and the largest sample. */
export async function whileSampling<T>(
  sample: () => number | null,
  work: () => Promise<T>,
): Promise<{ result: T; max: number }> {
  let max = sample() ?? 0;
  const timer = setInterval(() => {
    max = Math.max(max, sample() ?? 0);
  }, 200);
  try {
    const result = await work();
    return { result, max: Math.max(max, sample() ?? 0) };
  } finally {
    clearInterval(timer);
  }
}
