-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Lead_title_trgm_idx" ON "Lead" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Lead_contactName_trgm_idx" ON "Lead" USING GIN ("contactName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Lead_email_trgm_idx" ON "Lead" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Lead_organisation_trgm_idx" ON "Lead" USING GIN ("organisation" gin_trgm_ops);
