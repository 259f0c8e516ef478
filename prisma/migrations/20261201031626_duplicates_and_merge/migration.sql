-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "phoneKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "phoneKey" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "MergedRecord" (
    "id" SERIAL NOT NULL,
    "companyId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MergedRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MergedRecord_kind_toId_idx" ON "MergedRecord"("kind", "toId");

-- CreateIndex
CREATE INDEX "MergedRecord_companyId_idx" ON "MergedRecord"("companyId");

-- CreateIndex
CREATE UNIQUE INDEX "MergedRecord_kind_fromId_key" ON "MergedRecord"("kind", "fromId");

-- CreateIndex
CREATE INDEX "Customer_companyId_email_idx" ON "Customer"("companyId", "email");

-- CreateIndex
CREATE INDEX "Customer_companyId_phoneKey_idx" ON "Customer"("companyId", "phoneKey");

-- CreateIndex
CREATE INDEX "Customer_organisation_trgm_idx" ON "Customer" USING GIN ("organisation" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Lead_companyId_email_idx" ON "Lead"("companyId", "email");

-- CreateIndex
CREATE INDEX "Lead_companyId_phoneKey_idx" ON "Lead"("companyId", "phoneKey");

-- AddForeignKey
ALTER TABLE "MergedRecord" ADD CONSTRAINT "MergedRecord_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Emails are compared as stored (the forms trim and lower-case them): older rows are brought in line.
UPDATE "Customer" SET "email" = lower(btrim("email")) WHERE "email" <> lower(btrim("email"));
UPDATE "Lead" SET "email" = lower(btrim("email")) WHERE "email" <> lower(btrim("email"));

-- The phone key of existing rows: a number written with its country code becomes E.164 ("+" and its digits, as
-- src/duplicate/keys.ts writes it); a national one keeps its digits until the record is next saved (the app then
-- writes the key with the company's default country). Under 6 digits there is no key, as in the app.
UPDATE "Customer" SET "phoneKey" = CASE WHEN btrim("phone") LIKE '+%' THEN '+' ELSE '' END
  || regexp_replace("phone", '[^0-9]', '', 'g') WHERE length(regexp_replace("phone", '[^0-9]', '', 'g')) >= 6;
UPDATE "Lead" SET "phoneKey" = CASE WHEN btrim("phone") LIKE '+%' THEN '+' ELSE '' END
  || regexp_replace("phone", '[^0-9]', '', 'g') WHERE length(regexp_replace("phone", '[^0-9]', '', 'g')) >= 6;
