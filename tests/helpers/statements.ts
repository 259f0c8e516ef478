// Counts the SQL statements sent through the app's pg pool: every client the pool hands out
// (Prisma's adapter, the session store, the rate limiter, pool.query) has its query() wrapped once,
// so what is counted is what PostgreSQL receives, not Prisma calls.
import type pg from 'pg';

const WRAPPED = Symbol('statement recorder');
type Recorder = { recording: string[] | null; values: unknown[][] | null };

/** The SQL text of a pg query() call's first argument. */
function sqlOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'text' in arg) return String((arg as { text: unknown }).text);
  return '(submittable)';
}

/** The parameters of a pg query() call: its second argument, or the config's `values`. */
function valuesOf(args: unknown[]): unknown[] {
  if (Array.isArray(args[1])) return args[1];
  const config = args[0];
  return config && typeof config === 'object' && 'values' in config
    ? ((config as { values?: unknown[] }).values ?? [])
    : [];
}

function wrapClient(client: pg.PoolClient, recorder: Recorder) {
  const c = client as pg.PoolClient & { [WRAPPED]?: true };
  if (c[WRAPPED]) return;
  c[WRAPPED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    recorder.recording?.push(sqlOf(args[0]));
    recorder.values?.push(valuesOf(args));
    return query(...args);
  };
}

type StatementRecorder = {
  /** The statements fn caused, and each one's parameters (values[i] for statements[i]). */
  during<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[]; values: unknown[][] }>;
};
/** One recorder per pool: a client is wrapped once, for the recorder that first saw it (a second would miss it). */
const recorders = new WeakMap<pg.Pool, StatementRecorder>();

/** Starts wrapping the pool's clients (once per pool); `during(fn)` returns the statements fn caused. */
export function recordStatements(pool: pg.Pool): StatementRecorder {
  const known = recorders.get(pool);
  if (known) return known;
  const recorder: Recorder = { recording: null, values: null };
  const connect = pool.connect.bind(pool) as (
    cb?: (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void,
  ) => unknown;
  // pool.query() calls this.connect(callback); Prisma's adapter calls pool.connect() and awaits it.
  (pool as unknown as { connect: typeof connect }).connect = (cb) => {
    if (cb)
      return connect((err, client, done) => {
        if (client) wrapClient(client, recorder);
        cb(err, client, done);
      });
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      wrapClient(client, recorder);
      return client;
    });
  };
  const made: StatementRecorder = {
    async during<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[]; values: unknown[][] }> {
      if (recorder.recording) throw new Error('statement recording does not nest');
      const statements: string[] = [];
      const values: unknown[][] = [];
      recorder.recording = statements;
      recorder.values = values;
      try {
        return { result: await fn(), statements, values };
      } finally {
        recorder.recording = null;
        recorder.values = null;
      }
    },
  };
  recorders.set(pool, made);
  return made;
}

/** The session store's write at the end of a request (express-session's rolling touch). */
export const isSessionWrite = (sql: string) => /^\s*(UPDATE|INSERT\s+INTO)\s+("public"\.)?"session"/i.test(sql);

/**
 * The statements of a page right after every company's figure version moved (cold: its figures computed) and on
 * the visit after (warm: from the figure cache); neither may write the session.
 */
export async function coldAndWarmStatements(
  pool: pg.Pool,
  recorder: ReturnType<typeof recordStatements>,
  visit: () => Promise<unknown>,
): Promise<[number, number]> {
  await pool.query(`UPDATE "FigureVersion" SET "version" = nextval('"FigureVersion_seq"')`);
  const cold = await recorder.during(visit);
  const warm = await recorder.during(visit);
  const writes = [...cold.statements, ...warm.statements].filter(isSessionWrite);
  if (writes.length) throw new Error(`the visits wrote the session: ${writes.join('; ')}`);
  return [cold.statements.length, warm.statements.length];
}
