// Preloaded into the app's and the bare page's process by the bench (node --import ./bench/countStatements.mjs):
// counts the SQL statements sent through pg (Prisma's pg adapter, the session store and the rate
// limiter all use pg's Client), without a line in src/. The bench asks over the IPC channel:
// 'statements:reset' zeroes the count, 'statements:read' reads it; both answer { statements: n }.
// Plain JavaScript so that it also runs in front of a compiled build without tsx.
import pg from 'pg';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'statements:reset' && message !== 'statements:read') return;
    if (message === 'statements:reset') statements = 0;
    process.send({ statements });
  });
  // The channel must not keep the process alive on its own.
  process.channel?.unref();
}
