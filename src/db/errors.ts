// Database errors the app answers itself (rather than as a 500).

/** A unique constraint refused the write (Prisma's P2002): the caller shows "already taken" beside the field. */
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'P2002';
