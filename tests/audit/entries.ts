// Audit entries written straight into the database, for the tests that read the trail.
import type { TestContext } from '../helpers/context.ts';

/** `entry(companyId, actorId, model, action, recordId, changes?, createdAt?)` for this test file's context. */
export function auditEntryWriter(ctx: TestContext) {
  return (
    companyId: number | null,
    actorId: number,
    model: string,
    action: string,
    recordId: number,
    changes: object = {},
    createdAt?: Date,
  ) =>
    ctx.prisma.auditEntry.create({
      data: { companyId, actorId, model, action, recordId: String(recordId), changes, createdAt },
    });
}
