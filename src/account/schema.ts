// Sign-in, reset and profile forms.
import { z } from 'zod';
import { isTimeZone } from '../web/time.ts';
import { field } from '../fields/kinds.ts';

const password = z
  .string({ error: 'Enter your password.' })
  .min(1, 'Enter your password.')
  .max(1024, 'That password is too long.');

export const loginForm = z.object({
  email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address.')
    .max(254, 'That email address is too long.'),
  password,
  next: z.string().optional(),
});

export const verifyForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code.' })
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'),
});

export const forgotForm = z.object({ email: field.email() });

export const newPasswordForm = z
  .object({
    password: z.string({ error: 'Enter a new password.' }).min(1, 'Enter a new password.'),
    passwordConfirm: z.string({ error: 'Repeat the new password.' }),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'The two passwords differ.' });

export const profileForm = z.object({
  name: field.text('name', 120),
  timeZone: z.string({ error: 'Choose a time zone.' }).refine(isTimeZone, 'Choose a time zone from the list.'),
  currentPassword: z.string().optional().default(''),
  newPassword: z.string().optional().default(''),
  newPasswordConfirm: z.string().optional().default(''),
});
