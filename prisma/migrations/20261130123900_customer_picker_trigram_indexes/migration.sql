-- CreateIndex
CREATE INDEX "Customer_name_trgm_idx" ON "Customer" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_organisation_trgm_idx" ON "Customer" USING GIN ("organisation" gin_trgm_ops);
