// npm run createsuperuser [-- --email a@b --name "Ada" --password "…"]: asks on a terminal for
// what the flags do not give. Refuses a weak password or a duplicate email with a clear message.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { hashPassword, passwordProblem } from '../account/passwords.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';

class CliError extends Error {
  expected = true;
}

async function ask(question: string, flag: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`Missing --${flag} (no terminal to ask on).`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  const answer = await rl.question(question);
  if (hidden) process.stdout.write('\n');
  rl.close();
  return answer;
}

runCli(() =>
  withDatabaseUrl(async (url) => {
    let values: { email?: string; name?: string; password?: string };
    try {
      ({ values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } }));
    } catch (err) {
      throw new CliError(`${(err as Error).message.replace(/\.?$/, '.')} Usage: npm run createsuperuser [-- --email EMAIL --name NAME --password PASSWORD]`);
    }
    const email = (values.email ?? (await ask('Email: ', 'email'))).trim().toLowerCase();
    if (!z.email().safeParse(email).success) throw new CliError(`"${email}" is not a valid email address.`);
    const name = (values.name ?? (await ask('Full name: ', 'name'))).trim();
    if (!name) throw new CliError('A name is required.');
    const password = values.password ?? (await ask('Password: ', 'password', true));
    const problem = passwordProblem(password, { email });
    if (problem) throw new CliError(`Password refused: ${problem}`);
    await migrateDatabase(url);
    const db = createDatabase(url, { max: 2 });
    try {
      const existing = await db.prisma.user.findUnique({ where: { email } });
      if (existing) throw new CliError(`A user with the email ${email} already exists.`);
      const user = await db.prisma.user.create({ data: { email, name, role: 'SUPERUSER', passwordHash: await hashPassword(password) } });
      console.log(`Superuser ${user.email} created. Sign in at /login with this email and password; a code will be emailed to you.`);
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new CliError(`A user with the email ${email} already exists.`);
      throw err;
    } finally {
      await db.close();
    }
  }),
);
