-- CreateTable
CREATE TABLE "LeadTally" (
    "companyId" INTEGER NOT NULL,
    "assigneeId" INTEGER NOT NULL,
    "status" "LeadStatus" NOT NULL,
    "source" "LeadSource" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "LeadTally_pkey" PRIMARY KEY ("companyId","assigneeId","status","source")
);

-- CreateIndex
CREATE INDEX "LeadTally_assigneeId_idx" ON "LeadTally"("assigneeId");

-- AddForeignKey
ALTER TABLE "LeadTally" ADD CONSTRAINT "LeadTally_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadTally" ADD CONSTRAINT "LeadTally_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma does not model triggers): "LeadTally" follows every change to "Lead".
-- Statement-level triggers with transition tables: a bulk import of 5,000 leads is one upsert of
-- the keys it touches, not 5,000. An update moves a lead between keys only when companyId,
-- assigneeId, status or source changed (the +1 and -1 of an unchanged key cancel out, so editing
-- notes writes nothing). Rows are upserted in key order, so two transactions touching the same
-- keys lock them in the same order and cannot deadlock on them.
CREATE FUNCTION "lead_tally_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count")
    SELECT "companyId", "assigneeId", "status", "source", count(*)::int FROM new_leads
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source") DO UPDATE SET "count" = t."count" + EXCLUDED."count";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count")
    SELECT "companyId", "assigneeId", "status", "source", -count(*)::int FROM old_leads
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source") DO UPDATE SET "count" = t."count" + EXCLUDED."count";
  ELSE
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count")
    SELECT "companyId", "assigneeId", "status", "source", sum(moved)::int FROM (
      SELECT "companyId", "assigneeId", "status", "source", -1 AS moved FROM old_leads
      UNION ALL
      SELECT "companyId", "assigneeId", "status", "source", 1 AS moved FROM new_leads
    ) AS moves
    GROUP BY 1, 2, 3, 4 HAVING sum(moved) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source") DO UPDATE SET "count" = t."count" + EXCLUDED."count";
  END IF;
  RETURN NULL;
END
$$;

-- TRUNCATE "Lead" removes every lead at once, without row triggers.
CREATE FUNCTION "lead_tally_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "LeadTally";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Lead_tally_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_tally_apply"();
CREATE TRIGGER "Lead_tally_update" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_tally_apply"();
CREATE TRIGGER "Lead_tally_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_tally_apply"();
CREATE TRIGGER "Lead_tally_truncate" AFTER TRUNCATE ON "Lead"
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_tally_clear"();

-- The leads that exist already. After the triggers: creating them locked "Lead" against writes
-- until this migration commits, so no lead is counted twice or missed.
INSERT INTO "LeadTally" ("companyId", "assigneeId", "status", "source", "count")
SELECT "companyId", "assigneeId", "status", "source", count(*)::int FROM "Lead" GROUP BY 1, 2, 3, 4;
