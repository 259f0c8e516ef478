-- My day's "Leads with no next step" (src/today/queries.ts leadsWithoutNextStep): a person's open leads with no
-- open task, the longest quiet first (ORDER BY "lastActivityAt" ASC NULLS FIRST, "createdAt", "id"). Without this
-- index PostgreSQL walks every lead of the company by last activity and filters them (79 ms for one staff user of
-- a company with 100,000 leads, growing with the company). Partial: only the leads the block can show (no next
-- task, not closed: the Lead_stage trigger clears "closedAt" whenever the status is open), and the query says both
-- conditions as literals, so a generic plan of the prepared statement uses it too.

-- CreateIndex
CREATE INDEX "Lead_idle_idx" ON "Lead"("companyId", "assigneeId", "lastActivityAt" ASC NULLS FIRST, "createdAt", "id") WHERE "nextTaskId" IS NULL AND "closedAt" IS NULL;

-- The record picker's leads by title, with or without a search (src/picker/queries.ts): the first 20 in title order
-- read as an index range instead of sorting every lead of the company (68 ms at 100,000 leads without a search,
-- 132 ms with a two-letter one). A rare word is still found through Lead_title_trgm_idx.

-- CreateIndex
CREATE INDEX "Lead_companyId_title_id_idx" ON "Lead"("companyId", "title", "id");
