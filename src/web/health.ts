// GET /healthz: the process is alive. GET /readyz: the database answers (503 otherwise, and
// while the process is shutting down).
import { Router } from 'express';
import type pg from 'pg';

export function healthRouter(pool: pg.Pool, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  router.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) {
      res.status(503).type('text/plain').send('shutting down\n');
      return;
    }
    try {
      await pool.query('SELECT 1');
      res.type('text/plain').send('ready\n');
    } catch {
      res.status(503).type('text/plain').send('database unreachable\n');
    }
  });
  return router;
}
