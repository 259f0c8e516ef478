-- Blank values sort last in both directions (the lead list orders by "estimatedValue" … NULLS LAST):
-- the descending indexes say NULLS LAST by hand, which prisma/schema.prisma cannot express.
-- CreateIndex
CREATE INDEX "Lead_value_asc_idx" ON "Lead"("companyId", "estimatedValue", "id");

-- CreateIndex
CREATE INDEX "Lead_value_desc_idx" ON "Lead"("companyId", "estimatedValue" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_status_value_asc_idx" ON "Lead"("companyId", "status", "estimatedValue", "id");

-- CreateIndex
CREATE INDEX "Lead_status_value_desc_idx" ON "Lead"("companyId", "status", "estimatedValue" DESC NULLS LAST, "id" DESC);
