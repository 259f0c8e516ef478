// Reads of activities, through the request's scoped client.
import type { ScopedClient } from '../access/scope.ts';

/** An activity the user may see, with its author's, lead's and customer's names (one statement). */
export function findActivity(db: ScopedClient, id: number) {
  return db.activity.findUnique({
    where: { id },
    include: {
      author: { select: { id: true, name: true } },
      lead: { select: { id: true, title: true, assigneeId: true } },
      customer: { select: { id: true, name: true } },
    },
  });
}

export type ActivityRecord = NonNullable<Awaited<ReturnType<typeof findActivity>>>;
