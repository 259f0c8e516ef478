-- Two lead fields: "next step" (one line) and "expected close date" (a calendar date). Blank dates
-- sort last in both directions (ORDER BY … NULLS LAST): the descending index says so by hand,
-- which prisma/schema.prisma cannot express (as in value_sort_indexes).
-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "expectedCloseDate" DATE,
ADD COLUMN     "nextStep" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Lead_close_asc_idx" ON "Lead"("companyId", "expectedCloseDate", "id");

-- CreateIndex
CREATE INDEX "Lead_close_desc_idx" ON "Lead"("companyId", "expectedCloseDate" DESC NULLS LAST, "id" DESC);
