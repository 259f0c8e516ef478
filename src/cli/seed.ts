// npm run db:seed [-- --reset]: fills the demo companies "Acme Demo" and "Nordwind Demo" with users, customers,
// leads, tasks, appointments and activities. Refuses when one exists, unless --reset deletes them first.
import { parseArgs } from 'node:util';
import { createDatabase, unscoped } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { DEMO, seedDemo, type DemoSummary } from '../seed/demo.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';
import type { Config } from '../config.ts';

function report(s: DemoSummary, config: Config): string {
  const c = s.counts;
  const lines = [
    '',
    `${s.reset ? 'Re-created' : 'Created'} the demo company "${s.company.name}" (slug ${s.company.slug}, ` +
      `amounts in ${s.company.currency}) with:`,
    `  1 account manager and ${s.staff.length} staff users (staff in the default "Staff" group)`,
    `  ${c.customers} customers, ${c.leads} leads, ${c.tasks} tasks (${c.overdueTasks} overdue, ${c.doneTasks} done),`,
    `  ${c.appointments} appointments (${c.upcomingAppointments} upcoming, ${c.attendees} attendances)`,
    `  ${c.activities} calls, emails, meetings and notes on leads and customers; ` +
      `${c.leadTasks} tasks and ${c.leadAppointments} appointments on leads`,
    `and the smaller "${s.second.company.name}" (slug ${s.second.company.slug}, amounts in ` +
      `${s.second.company.currency}): 1 account manager, ${s.second.staff.length} staff, ` +
      `${s.second.counts.customers} customers, ${s.second.counts.leads} leads, ${s.second.counts.tasks} tasks, ` +
      `${s.second.counts.appointments} appointments`,
    '',
    `Sign in at ${config.appUrl}/login with the password  ${DEMO.password}  as:`,
    `  account manager  ${s.manager.email}`,
    ...s.staff.map((u) => `  staff            ${u.email}`),
    `  account manager  ${s.second.manager.email}  (${s.second.company.name})`,
    ...s.second.staff.map((u) => `  staff            ${u.email}  (${s.second.company.name})`),
  ];
  if (s.superuser.created)
    lines.push(`  superuser        ${s.superuser.email}  (created because the database had no superuser)`);
  else lines.push('  (a superuser existed already; no demo superuser was created)');
  lines.push(
    '',
    'After the password you are asked for a 6-digit code sent by email.',
    config.smtpUrl
      ? 'Mail goes through SMTP_URL; the demo addresses (*.example) do not receive mail, so use a catching SMTP server.'
      : `SMTP_URL is not set: the code is written to ` +
          `${config.dataDir}/mail/ and printed in the server's log (npm start).`,
  );
  return lines.join('\n');
}

runCli(() =>
  withDatabaseUrl(async (url, config) => {
    const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false } } });
    await migrateDatabase(url);
    const db = createDatabase(url, { max: 2 });
    try {
      const summary = await seedDemo(unscoped(db, 'cli'), { reset: values.reset, onProgress: (m) => console.log(m) });
      console.log(report(summary, config));
    } finally {
      await db.close();
    }
  }),
);
