// Saves the user's own reminder settings with an audit entry, in one transaction. Nothing planned needs moving:
// the sweep (src/reminder/sweep.ts) reads the settings each time it runs, so a change applies to the next reminder.
import type { CurrentUser } from '../access/currentUser.ts';
import { changedFields, recordAudit } from '../audit/record.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { SETTINGS_SELECT } from './queries.ts';
import type { ReminderSettings } from './schema.ts';

const FIELDS = Object.keys(SETTINGS_SELECT);

export function saveReminderSettings(prisma: PrismaClient, user: CurrentUser, settings: ReminderSettings) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: SETTINGS_SELECT });
    await tx.user.update({ where: { id: user.id }, data: settings });
    const changes = changedFields(before, settings, FIELDS);
    if (Object.keys(changes).length)
      await recordAudit(tx, user, {
        action: 'update',
        model: 'User',
        recordId: user.id,
        companyId: user.companyId,
        changes,
      });
  });
}
