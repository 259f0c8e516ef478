-- The lead search (issue 11): one LIKE on a stored, lower-cased copy of the searched fields instead of four
-- case-insensitive matches on each lead walked. Measured at 100,000 leads in a company: the walk for a common
-- word 15.7 ms → 1.3 ms; a rare word is found through the new trigram index (0.03 ms; 96 ms without it).
-- "searchText" is kept by the trigger below on every insert and on every change of a searched field, so raw
-- SQL and imports stay searchable; the app never writes it. The covering index now carries it (INCLUDE
-- columns, which Prisma's index syntax cannot say: schema.prisma lists them as key columns).

-- DropIndex
DROP INDEX "Lead_search_covering_idx";

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- Written by hand below.
CREATE FUNCTION "lead_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(E'\n', NEW."title", NEW."contactName", NEW."email", NEW."organisation"));
  RETURN NEW;
END $$;

CREATE TRIGGER "Lead_search_text" BEFORE INSERT OR UPDATE OF "title", "contactName", "email", "organisation" ON "Lead"
  FOR EACH ROW EXECUTE FUNCTION "lead_search_text"();

UPDATE "Lead" SET "searchText" = lower(concat_ws(E'\n', "title", "contactName", "email", "organisation"));

-- CreateIndex
CREATE INDEX "Lead_search_covering_idx" ON "Lead"("companyId", "createdAt", "id") INCLUDE ("searchText", "assigneeId", "status", "source");

-- CreateIndex
CREATE INDEX "Lead_searchText_trgm_idx" ON "Lead" USING GIN ("searchText" gin_trgm_ops);
