-- CreateEnum
CREATE TYPE "TaskReminder" AS ENUM ('NONE', 'AT_DUE', 'DAY_BEFORE');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "appointmentReminderMinutes" INTEGER DEFAULT 30,
ADD COLUMN     "digestHour" INTEGER,
ADD COLUMN     "digestSentOn" DATE,
ADD COLUMN     "taskReminder" "TaskReminder" NOT NULL DEFAULT 'AT_DUE';

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "remindedFor" TIMESTAMP(3),
ADD COLUMN     "reminder" "TaskReminder";

-- AlterTable
ALTER TABLE "AppointmentAttendee" ADD COLUMN     "remindedFor" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Task_dueAt_idx" ON "Task"("dueAt");

-- CreateIndex
CREATE INDEX "Appointment_startsAt_idx" ON "Appointment"("startsAt");
