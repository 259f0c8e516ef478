// npm run createsuperuser [-- --email a@b --name "Ada" --password "…"]: asks on a terminal for what
// the flags do not give, the password without echo and twice; a wrong answer is asked again, alone.
// A wrong flag (nobody to ask) ends the run with one clear line. Nothing is created until all hold.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword, passwordProblem } from '../account/passwords.ts';
import { createDatabase, unscoped } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { ask } from './prompt.ts';
import { runCli, withDatabaseUrl } from './withDatabase.ts';

class CliError extends Error {
  expected = true;
}

type Checked = { value: string } | { problem: string };

/**
 * The flag's value when given (checked once: a script cannot answer again), else the terminal's
 * answer, asked until it passes the check; each refusal is printed before the question comes back.
 */
async function obtain(
  given: string | undefined,
  question: string,
  check: (raw: string) => Checked | Promise<Checked>,
  hidden = false,
) {
  if (given !== undefined) {
    const checked = await check(given);
    if ('problem' in checked) throw new CliError(checked.problem);
    return checked.value;
  }
  for (;;) {
    const checked = await check(await ask(question, { hidden }));
    if ('value' in checked) return checked.value;
    console.error(checked.problem);
  }
}

/** The app's password rule (src/account/passwords.ts); it also refuses the email itself as the password. */
const strongPassword =
  (email: string) =>
  (raw: string): Checked => {
    const problem = passwordProblem(raw, { email });
    return problem ? { problem: `Password refused: ${problem}` } : { value: raw };
  };

/** On a terminal the password is typed twice, since nothing shows what was typed. */
async function askPassword(check: (raw: string) => Checked): Promise<string> {
  for (;;) {
    const password = await obtain(undefined, 'Password: ', check, true);
    if ((await ask('Password (again): ', { hidden: true })) === password) return password;
    console.error('The two passwords differ. Type the password again.');
  }
}

function readFlags() {
  try {
    return parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } })
      .values;
  } catch (err) {
    throw new CliError(
      `${(err as Error).message.replace(/\.?$/, '.')} Usage: npm run ` +
        `createsuperuser [-- --email EMAIL --name NAME --password PASSWORD]`,
    );
  }
}

/** Creates the user; a row with the same email written since the check is refused by the unique index. */
async function createSuperuser(
  db: ReturnType<typeof createDatabase>,
  data: { email: string; name: string; password: string },
) {
  try {
    const passwordHash = await hashPassword(data.password);
    return await unscoped(db, 'cli').user.create({
      data: { email: data.email, name: data.name, role: 'SUPERUSER', passwordHash },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new CliError(`A user with the email ${data.email} already exists.`);
    throw err;
  }
}

runCli(() =>
  withDatabaseUrl(async (url) => {
    const flags = readFlags();
    const missing = (['email', 'name', 'password'] as const).find((f) => flags[f] === undefined);
    if (missing && !process.stdin.isTTY) throw new CliError(`Missing --${missing} (no terminal to ask on).`);
    await migrateDatabase(url);
    const db = createDatabase(url, { max: 2 });
    try {
      const email = await obtain(flags.email, 'Email: ', async (raw) => {
        const value = raw.trim().toLowerCase();
        if (!z.email().safeParse(value).success) return { problem: `"${value}" is not a valid email address.` };
        if (await unscoped(db, 'cli').user.findUnique({ where: { email: value }, select: { id: true } }))
          return { problem: `A user with the email ${value} already exists.` };
        return { value };
      });
      const name = await obtain(flags.name, 'Full name: ', (raw) =>
        raw.trim() ? { value: raw.trim() } : { problem: 'A name is required.' },
      );
      const password =
        flags.password === undefined
          ? await askPassword(strongPassword(email))
          : await obtain(flags.password, 'Password: ', strongPassword(email));
      const user = await createSuperuser(db, { email, name, password });
      console.log(
        `Superuser ${user.email} created. Sign in at /login with ` +
          `this email and password; a code will be emailed to you.`,
      );
    } finally {
      await db.close();
    }
  }),
);
