// API tokens (issue 17): the choices of the form on /tokens, declared once; the page, the writes and the API's
// authentication (src/api/auth.ts) read them.
import { z } from 'zod';

export const TOKEN_ACCESS = ['READ', 'READ_WRITE'] as const;
export type TokenAccess = (typeof TOKEN_ACCESS)[number];
export const TOKEN_ACCESS_LABELS: Record<TokenAccess, string> = {
  READ: 'Read only',
  READ_WRITE: 'Read and write',
};

/** How long a new token lives, in days: a year at most. */
export const TOKEN_LIFETIMES = [7, 30, 90, 180, 365] as const;
export const tokenLifetimeLabel = (days: number) => (days === 365 ? '1 year' : `${days} days`);

/** POST /tokens. */
export const newTokenForm = z.object({
  name: z
    .string({ error: 'Name the token.' })
    .trim()
    .min(1, 'Name the token: say what will use it.')
    .max(80, 'Keep the name within 80 characters.'),
  access: z.enum(TOKEN_ACCESS, { error: 'Choose what the token may do.' }),
  lifetimeDays: z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : v),
    z
      .number({ error: 'Choose when the token expires.' })
      .refine((n) => (TOKEN_LIFETIMES as readonly number[]).includes(n), 'Choose when the token expires.'),
  ),
});
export type NewToken = z.output<typeof newTokenForm>;

/** The form's choices, as the select partial takes them. */
export const tokenChoices = {
  access: TOKEN_ACCESS.map((a) => [a, TOKEN_ACCESS_LABELS[a]]),
  lifetimeDays: TOKEN_LIFETIMES.map((d) => [String(d), tokenLifetimeLabel(d)]),
};
