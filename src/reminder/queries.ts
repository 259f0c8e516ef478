// The signed-in user's own reminder settings (the profile's section), read with the 'current user' client: one's
// own row, like the rest of the profile.
import type { PrismaClient } from '../generated/prisma/client.ts';

export const SETTINGS_SELECT = { taskReminder: true, appointmentReminderMinutes: true, digestHour: true } as const;

export function findReminderSettings(prisma: PrismaClient, userId: number) {
  return prisma.user.findUniqueOrThrow({ where: { id: userId }, select: SETTINGS_SELECT });
}
