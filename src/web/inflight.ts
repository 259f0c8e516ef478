// Requests in flight, so a graceful shutdown waits for the work and not only for the sockets.
//
// Written here because the shutdown libraries (stoppable, http-terminator, @godaddy/terminus) count
// connections or responses: a client that hangs up closes its socket and its response ('close')
// while the handler is still awaiting the database, and they then count it as done.
//
// `received` (the app's first middleware) counts a request the moment it arrives. `working` marks
// where the work begins (after static files, which use no database). A request is finished when its
// response has closed ('close': sent, or the client went away) AND, once its work began, the app
// has ended the response (res.end: every handler, the error handler and express-session's save,
// which wraps res.end, are done by then). So a request whose client hung up stays in flight until
// its handler answers into the void. A request whose client left before its work began is finished
// at once, and `working` then drops it: nobody is waiting for its answer, and it must not start
// database work after the shutdown counted it out. A response the app never ends (a bug) keeps the
// count up: the shutdown's deadline bounds that.
import type { RequestHandler, Response } from 'express';

export type InflightTracker = {
  received: RequestHandler;
  working: RequestHandler;
  /** Requests received and not yet finished. */
  count: () => number;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  drained: (timeoutMs: number) => Promise<boolean>;
};

type State = { ended: boolean; closed: boolean; working: boolean; settled: boolean };

export function createInflightTracker(): InflightTracker {
  let count = 0;
  const waiters = new Set<() => void>();
  const states = new WeakMap<Response, State>();

  const settle = (state: State) => {
    if (state.settled || !state.closed || (state.working && !state.ended)) return;
    state.settled = true;
    count -= 1;
    if (count === 0) for (const wake of [...waiters]) wake();
  };

  const received: RequestHandler = (_req, res, next) => {
    count += 1;
    const state: State = { ended: false, closed: false, working: false, settled: false };
    states.set(res, state);
    const end = res.end;
    res.end = function endTracked(this: Response, ...args: Parameters<Response['end']>) {
      state.ended = true;
      const result = end.apply(this, args);
      settle(state);
      return result;
    } as Response['end'];
    res.once('close', () => {
      state.closed = true;
      settle(state);
    });
    next();
  };

  const working: RequestHandler = (_req, res, next) => {
    const state = states.get(res);
    if (state?.settled) return; // the client left before any work began
    if (state) state.working = true;
    next();
  };

  const drained = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (count === 0) return resolve(true);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(ok);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      waiters.add(wake);
    });

  return { received, working, count: () => count, drained };
}
