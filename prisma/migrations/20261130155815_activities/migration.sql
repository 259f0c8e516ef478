-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('CALL', 'EMAIL', 'MEETING', 'NOTE');

-- CreateEnum
CREATE TYPE "CallOutcome" AS ENUM ('REACHED', 'LEFT_MESSAGE', 'NO_ANSWER', 'WRONG_NUMBER');

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "lastActivityAt" TIMESTAMP(3),
ADD COLUMN     "nextTaskDueAt" TIMESTAMP(3),
ADD COLUMN     "nextTaskId" INTEGER;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "leadId" INTEGER;

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "leadId" INTEGER;

-- CreateTable
CREATE TABLE "Activity" (
    "id" SERIAL NOT NULL,
    "companyId" INTEGER NOT NULL,
    "kind" "ActivityKind" NOT NULL,
    "summary" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '',
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "callOutcome" "CallOutcome",
    "durationMinutes" INTEGER,
    "authorId" INTEGER,
    "leadId" INTEGER,
    "customerId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Activity_companyId_occurredAt_id_idx" ON "Activity"("companyId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "Activity_leadId_occurredAt_id_idx" ON "Activity"("leadId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "Activity_customerId_occurredAt_id_idx" ON "Activity"("customerId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "Activity_authorId_occurredAt_idx" ON "Activity"("authorId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_nextTaskId_key" ON "Lead"("nextTaskId");

-- CreateIndex
CREATE INDEX "Lead_companyId_lastActivityAt_id_idx" ON "Lead"("companyId", "lastActivityAt", "id");

-- CreateIndex
CREATE INDEX "Lead_companyId_nextTaskDueAt_id_idx" ON "Lead"("companyId", "nextTaskDueAt", "id");

-- CreateIndex
CREATE INDEX "Task_leadId_status_dueAt_id_idx" ON "Task"("leadId", "status", "dueAt", "id");

-- CreateIndex
CREATE INDEX "Appointment_leadId_startsAt_idx" ON "Appointment"("leadId", "startsAt");

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_nextTaskId_fkey" FOREIGN KEY ("nextTaskId") REFERENCES "Task"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Written by hand below: the triggers that keep a lead's freshness ("Last activity", "Next task") in the
-- same transaction as every change of its activities and tasks, so imports through raw SQL and rolled-back
-- changes stay right and the lead list reads both facts from the lead's own row (no per-row lookups).
-- They write the two columns only: the lead's version and updatedAt stay as they are.

CREATE FUNCTION "lead_last_activity_refresh"(lead_id INTEGER) RETURNS void LANGUAGE sql AS $$
  UPDATE "Lead" SET "lastActivityAt" = (SELECT max("occurredAt") FROM "Activity" WHERE "leadId" = lead_id)
  WHERE "id" = lead_id
    AND "lastActivityAt" IS DISTINCT FROM (SELECT max("occurredAt") FROM "Activity" WHERE "leadId" = lead_id);
$$;

CREATE FUNCTION "activity_lead_freshness"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."leadId" IS NOT NULL THEN
    PERFORM "lead_last_activity_refresh"(OLD."leadId");
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."leadId" IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW."leadId" IS DISTINCT FROM OLD."leadId" OR NEW."occurredAt" <> OLD."occurredAt") THEN
    PERFORM "lead_last_activity_refresh"(NEW."leadId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Activity_lead_freshness" AFTER INSERT OR UPDATE OR DELETE ON "Activity"
  FOR EACH ROW EXECUTE FUNCTION "activity_lead_freshness"();

CREATE FUNCTION "lead_next_task_refresh"(lead_id INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  next_id INTEGER;
  next_due TIMESTAMP(3);
BEGIN
  SELECT "id", "dueAt" INTO next_id, next_due FROM "Task"
    WHERE "leadId" = lead_id AND "status" <> 'DONE'
    ORDER BY "dueAt" ASC NULLS LAST, "id" ASC LIMIT 1;
  UPDATE "Lead" SET "nextTaskId" = next_id, "nextTaskDueAt" = next_due
    WHERE "id" = lead_id
      AND ("nextTaskId" IS DISTINCT FROM next_id OR "nextTaskDueAt" IS DISTINCT FROM next_due);
END $$;

CREATE FUNCTION "task_lead_freshness"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."leadId" IS NOT NULL
     AND (TG_OP = 'DELETE' OR NEW."leadId" IS DISTINCT FROM OLD."leadId") THEN
    PERFORM "lead_next_task_refresh"(OLD."leadId");
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."leadId" IS NOT NULL THEN
    PERFORM "lead_next_task_refresh"(NEW."leadId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Task_lead_freshness" AFTER INSERT OR DELETE OR UPDATE OF "leadId", "status", "dueAt" ON "Task"
  FOR EACH ROW EXECUTE FUNCTION "task_lead_freshness"();

-- The new permissions (SPEC section 3): groups that could see leads or customers see their activities;
-- groups that could change them log and edit their own.
UPDATE "Group" SET "permissions" = array_append("permissions", 'activity.view')
  WHERE ("permissions" && ARRAY['lead.view', 'customer.view']) AND NOT ('activity.view' = ANY ("permissions"));
UPDATE "Group" SET "permissions" = "permissions" || ARRAY['activity.add', 'activity.change']
  WHERE ("permissions" && ARRAY['lead.change', 'customer.change']) AND NOT ('activity.add' = ANY ("permissions"));
