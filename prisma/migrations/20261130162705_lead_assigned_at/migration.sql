-- Lead.assignedAt: when the lead was given to its current assignee ("New leads since yesterday" on My day
-- counts reassigned leads too). Set by the database: the column's default on insert, the trigger below
-- whenever assigneeId changes (the app's reassignment, imports, raw SQL alike). Existing leads start from
-- their creation time.

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Lead_companyId_assigneeId_assignedAt_id_idx" ON "Lead"("companyId", "assigneeId", "assignedAt", "id");

-- Written by hand below.
UPDATE "Lead" SET "assignedAt" = "createdAt";

-- Timestamps are stored as UTC wall-clock time (TIMESTAMP without zone, as Prisma writes them).
CREATE FUNCTION "lead_assigned_at_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."assignedAt" := now() AT TIME ZONE 'UTC';
  RETURN NEW;
END $$;

CREATE TRIGGER "Lead_assigned_at" BEFORE UPDATE OF "assigneeId" ON "Lead"
  FOR EACH ROW WHEN (NEW."assigneeId" IS DISTINCT FROM OLD."assigneeId") EXECUTE FUNCTION "lead_assigned_at_touch"();
