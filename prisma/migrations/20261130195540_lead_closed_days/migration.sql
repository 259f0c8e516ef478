-- CreateTable
CREATE TABLE "LeadClosedDay" (
    "companyId" INTEGER NOT NULL,
    "assigneeId" INTEGER NOT NULL,
    "status" "LeadStatus" NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "days" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LeadClosedDay_pkey" PRIMARY KEY ("companyId","day","assigneeId","status")
);

-- CreateIndex
CREATE INDEX "LeadClosedDay_assigneeId_idx" ON "LeadClosedDay"("assigneeId");

-- AddForeignKey
ALTER TABLE "LeadClosedDay" ADD CONSTRAINT "LeadClosedDay_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadClosedDay" ADD CONSTRAINT "LeadClosedDay_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Kept by the database, in the same statement as the change (as the lead tally, migration lead_tally): each
-- won or lost lead counts on the UTC day of its closedAt. A reopened lead (closedAt cleared), a moved close
-- date, a new value or assignee moves it between rows.
CREATE FUNCTION "lead_closed_day_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LeadClosedDay" AS t ("companyId", "assigneeId", "status", "day", "count", "value", "days")
    SELECT "companyId", "assigneeId", "status", "closedAt"::date, count(*)::int, COALESCE(sum("estimatedValue"), 0),
      sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400))::int
    FROM new_leads WHERE "status" IN ('WON', 'LOST') AND "closedAt" IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 2, 3
    ON CONFLICT ("companyId", "day", "assigneeId", "status")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value",
      "days" = t."days" + EXCLUDED."days";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LeadClosedDay" AS t ("companyId", "assigneeId", "status", "day", "count", "value", "days")
    SELECT "companyId", "assigneeId", "status", "closedAt"::date, -count(*)::int, -COALESCE(sum("estimatedValue"), 0),
      -sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400))::int
    FROM old_leads WHERE "status" IN ('WON', 'LOST') AND "closedAt" IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 2, 3
    ON CONFLICT ("companyId", "day", "assigneeId", "status")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value",
      "days" = t."days" + EXCLUDED."days";
  ELSE
    INSERT INTO "LeadClosedDay" AS t ("companyId", "assigneeId", "status", "day", "count", "value", "days")
    SELECT "companyId", "assigneeId", "status", "day", sum(moved)::int, sum(amount), sum(took)::int FROM (
      SELECT "companyId", "assigneeId", "status", "closedAt"::date AS "day", -1 AS moved,
        -COALESCE("estimatedValue", 0) AS amount, -floor(extract(epoch FROM "closedAt" - "createdAt") / 86400) AS took
      FROM old_leads WHERE "status" IN ('WON', 'LOST') AND "closedAt" IS NOT NULL
      UNION ALL
      SELECT "companyId", "assigneeId", "status", "closedAt"::date, 1, COALESCE("estimatedValue", 0),
        floor(extract(epoch FROM "closedAt" - "createdAt") / 86400)
      FROM new_leads WHERE "status" IN ('WON', 'LOST') AND "closedAt" IS NOT NULL
    ) AS moves
    GROUP BY 1, 2, 3, 4 HAVING sum(moved) <> 0 OR sum(amount) <> 0 OR sum(took) <> 0 ORDER BY 1, 4, 2, 3
    ON CONFLICT ("companyId", "day", "assigneeId", "status")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value",
      "days" = t."days" + EXCLUDED."days";
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "lead_closed_day_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "LeadClosedDay";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Lead_closed_day_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_closed_day_apply"();
CREATE TRIGGER "Lead_closed_day_update" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_closed_day_apply"();
CREATE TRIGGER "Lead_closed_day_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_leads
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_closed_day_apply"();
CREATE TRIGGER "Lead_closed_day_truncate" AFTER TRUNCATE ON "Lead"
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_closed_day_clear"();

INSERT INTO "LeadClosedDay" ("companyId", "assigneeId", "status", "day", "count", "value", "days")
SELECT "companyId", "assigneeId", "status", "closedAt"::date, count(*)::int, COALESCE(sum("estimatedValue"), 0),
  sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400))::int
FROM "Lead" WHERE "status" IN ('WON', 'LOST') AND "closedAt" IS NOT NULL GROUP BY 1, 2, 3, 4;
