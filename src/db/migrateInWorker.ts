// The server's start-up migration, run in a worker thread that ends afterwards. Prisma's schema
// engine is a WebAssembly module: once loaded, its compiled code and linear memory stay for the life
// of the thread that loaded it (about 30 MB resident). In a worker they go when the worker ends.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { migrateDatabase } from './migrate.ts';

type Reply = { applied: string[] } | { error: string };

/**
 * migrateDatabase(url) in a worker thread; rejects with the same message on failure. Run from the
 * TypeScript sources (tsx: development, tests) it migrates in this thread: tsx's loader does not
 * reach worker threads on Node 20, and memory matters in production, which runs the build.
 */
export function migrateInWorker(url: string): Promise<string[]> {
  if (import.meta.url.endsWith('.ts')) return migrateDatabase(url);
  return new Promise((resolve, reject) => {
    // This file is the worker's entry: src/…/migrateInWorker.ts under tsx, dist/…/migrateInWorker.js built.
    const worker = new Worker(new URL(import.meta.url), { workerData: { migrateUrl: url } });
    let reply: Reply | undefined;
    worker.once('message', (m: Reply) => (reply = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (reply && 'applied' in reply) resolve(reply.applied);
      else reject(new Error(reply?.error ?? `the migration worker exited with code ${code}`));
    });
  });
}

if (!isMainThread && typeof workerData?.migrateUrl === 'string') {
  migrateDatabase(workerData.migrateUrl).then(
    (applied) => parentPort!.postMessage({ applied } satisfies Reply),
    (err: unknown) => parentPort!.postMessage({ error: (err as Error)?.message ?? String(err) } satisfies Reply),
  );
}
