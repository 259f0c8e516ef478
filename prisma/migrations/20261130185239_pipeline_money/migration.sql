-- CreateEnum
CREATE TYPE "LostReason" AS ENUM ('PRICE', 'COMPETITOR', 'NO_BUDGET', 'NO_RESPONSE', 'NOT_A_FIT', 'OTHER');

-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "currency" VARCHAR(3) NOT NULL DEFAULT 'EUR',
ADD COLUMN     "probabilityContacted" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "probabilityNew" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "probabilityQualified" INTEGER NOT NULL DEFAULT 50;

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "furthestStage" SMALLINT NOT NULL DEFAULT 0,
ADD COLUMN     "lostNote" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lostReason" "LostReason";

-- AlterTable
ALTER TABLE "LeadTally" ADD COLUMN     "value" DECIMAL(16,2) NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Lead_board_idx" ON "Lead"("companyId", "status", "expectedCloseDate", "id");

-- Dashboards and reports (issue 14) read closed deals by close date and new leads by creation date from
-- these indexes alone (index-only scans): all but the first two columns are INCLUDE columns, which Prisma's
-- index syntax cannot say (schema.prisma lists them as key columns; the catalogue lists the same columns).
-- CreateIndex
CREATE INDEX "Lead_closed_covering_idx" ON "Lead"("companyId", "closedAt") INCLUDE ("status", "assigneeId", "source", "estimatedValue", "createdAt", "lostReason");

-- CreateIndex
CREATE INDEX "Lead_created_covering_idx" ON "Lead"("companyId", "createdAt") INCLUDE ("assigneeId", "source", "status", "furthestStage", "estimatedValue");

-- The stage a lead reached and when it closed, kept by the database so that every writer (forms, the
-- board, conversion, imports, raw SQL) agrees. A statement that sets closedAt itself (a seed, an import
-- of history) keeps its value; otherwise entering WON or LOST stamps now() and reopening clears it.
CREATE FUNCTION "lead_stage"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reached smallint := CASE NEW."status" WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2 WHEN 'WON' THEN 3 ELSE 0 END;
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."furthestStage" := GREATEST(NEW."furthestStage", reached);
    IF NEW."status" IN ('WON', 'LOST') THEN
      NEW."closedAt" := COALESCE(NEW."closedAt", now());
    ELSE
      NEW."closedAt" := NULL;
    END IF;
  ELSE
    NEW."furthestStage" := GREATEST(OLD."furthestStage", NEW."furthestStage", reached);
    IF NEW."status" NOT IN ('WON', 'LOST') THEN
      NEW."closedAt" := NULL;
    ELSIF NEW."status" IS DISTINCT FROM OLD."status" AND NEW."closedAt" IS NOT DISTINCT FROM OLD."closedAt" THEN
      NEW."closedAt" := now();
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Lead_stage" BEFORE INSERT OR UPDATE OF "status", "closedAt", "furthestStage" ON "Lead"
  FOR EACH ROW EXECUTE FUNCTION "lead_stage"();

-- Existing leads: the stage their status says (a lost lead's earlier stage is not known: 0), closed when
-- they were converted or last changed.
UPDATE "Lead" SET "furthestStage" = CASE "status" WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2 WHEN 'WON' THEN 3 ELSE 0 END,
  "closedAt" = CASE WHEN "status" IN ('WON', 'LOST') THEN COALESCE("convertedAt", "updatedAt") END;

-- The tally also sums the leads' values (the board's and the dashboards' totals), in the same statement
-- as the change, like the counts (migration lead_tally).
CREATE OR REPLACE FUNCTION "lead_tally_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count", "value")
    SELECT "companyId", "assigneeId", "status", "source", count(*)::int, COALESCE(sum("estimatedValue"), 0) FROM new_leads
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count", "value")
    SELECT "companyId", "assigneeId", "status", "source", -count(*)::int, -COALESCE(sum("estimatedValue"), 0) FROM old_leads
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value";
  ELSE
    INSERT INTO "LeadTally" AS t ("companyId", "assigneeId", "status", "source", "count", "value")
    SELECT "companyId", "assigneeId", "status", "source", sum(moved)::int, sum(amount) FROM (
      SELECT "companyId", "assigneeId", "status", "source", -1 AS moved, -COALESCE("estimatedValue", 0) AS amount FROM old_leads
      UNION ALL
      SELECT "companyId", "assigneeId", "status", "source", 1 AS moved, COALESCE("estimatedValue", 0) AS amount FROM new_leads
    ) AS moves
    GROUP BY 1, 2, 3, 4 HAVING sum(moved) <> 0 OR sum(amount) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("companyId", "assigneeId", "status", "source")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count", "value" = t."value" + EXCLUDED."value";
  END IF;
  RETURN NULL;
END
$$;

UPDATE "LeadTally" SET "value" = sums."value" FROM (
  SELECT "companyId", "assigneeId", "status", "source", COALESCE(sum("estimatedValue"), 0) AS "value"
  FROM "Lead" GROUP BY 1, 2, 3, 4
) AS sums
WHERE "LeadTally"."companyId" = sums."companyId" AND "LeadTally"."assigneeId" = sums."assigneeId"
  AND "LeadTally"."status" = sums."status" AND "LeadTally"."source" = sums."source";
