// GET /api/v1/me — who the token acts as: the user, their company, their permissions now, and the token itself.
// Read from the request's user (loaded with the token in one statement): no statement of its own.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { timeSchema } from './doc.ts';

export const meApiSchema = z.object({
  id: z.int(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['SUPERUSER', 'ACCOUNT_MANAGER', 'STAFF']),
  timeZone: z.string(),
  company: z.object({ id: z.int(), name: z.string(), currency: z.string() }).nullable(),
  permissions: z.array(z.string()),
  token: z.object({ id: z.int(), name: z.string(), access: z.enum(['READ', 'READ_WRITE']), expiresAt: timeSchema }),
});

export const me: RequestHandler = (req, res) => {
  const u = req.user!;
  const t = req.apiToken!;
  const body: z.infer<typeof meApiSchema> = {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    timeZone: u.timeZone,
    company: u.companyId === null ? null : { id: u.companyId, name: u.companyName ?? '', currency: u.currency },
    permissions: [...u.permissions].sort(),
    token: { id: t.id, name: t.name, access: t.access, expiresAt: t.expiresAt.toISOString() },
  };
  res.json(body);
};
