-- CreateTable
CREATE TABLE "FigureVersion" (
    "companyId" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "FigureVersion_pkey" PRIMARY KEY ("companyId")
);

-- Kept by the database, in the same statement (and so the same transaction) as the change: every insert, update
-- and delete of leads or activities gives each company it touched a new version, once per statement, in company
-- order (two statements touching the same companies lock their rows in the same order). Versions come from one
-- sequence owned by no table, so they only ever grow: a TRUNCATE … RESTART IDENTITY (the tests' reset) empties
-- the table but never brings back a version a process may have cached figures under.
CREATE SEQUENCE "FigureVersion_seq";

CREATE FUNCTION "figure_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FigureVersion" AS v ("companyId", "version")
    SELECT "companyId", nextval('"FigureVersion_seq"') FROM (SELECT DISTINCT "companyId" FROM new_rows) AS touched
    ORDER BY 1
    ON CONFLICT ("companyId") DO UPDATE SET "version" = nextval('"FigureVersion_seq"');
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "FigureVersion" AS v ("companyId", "version")
    SELECT "companyId", nextval('"FigureVersion_seq"') FROM (SELECT DISTINCT "companyId" FROM old_rows) AS touched
    ORDER BY 1
    ON CONFLICT ("companyId") DO UPDATE SET "version" = nextval('"FigureVersion_seq"');
  ELSE
    INSERT INTO "FigureVersion" AS v ("companyId", "version")
    SELECT "companyId", nextval('"FigureVersion_seq"')
    FROM (SELECT "companyId" FROM new_rows UNION SELECT "companyId" FROM old_rows) AS touched
    ORDER BY 1
    ON CONFLICT ("companyId") DO UPDATE SET "version" = nextval('"FigureVersion_seq"');
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "figure_version_bump_all"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "FigureVersion" SET "version" = nextval('"FigureVersion_seq"');
  RETURN NULL;
END
$$;

CREATE TRIGGER "Lead_figure_version_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Lead_figure_version_update" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Lead_figure_version_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Lead_figure_version_truncate" AFTER TRUNCATE ON "Lead"
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump_all"();
CREATE TRIGGER "Activity_figure_version_insert" AFTER INSERT ON "Activity" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Activity_figure_version_update" AFTER UPDATE ON "Activity"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Activity_figure_version_delete" AFTER DELETE ON "Activity" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump"();
CREATE TRIGGER "Activity_figure_version_truncate" AFTER TRUNCATE ON "Activity"
  FOR EACH STATEMENT EXECUTE FUNCTION "figure_version_bump_all"();

-- The board's cards and filters show people's names (and whether they are active): a change of a user's name,
-- state, role or company is a new version of the companies concerned. Users are few: a row trigger.
CREATE FUNCTION "figure_version_bump_user"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    touched := ARRAY[NEW."companyId"];
  ELSIF TG_OP = 'DELETE' THEN
    touched := ARRAY[OLD."companyId"];
  ELSE
    touched := ARRAY[OLD."companyId", NEW."companyId"];
  END IF;
  INSERT INTO "FigureVersion" AS v ("companyId", "version")
  SELECT c, nextval('"FigureVersion_seq"') FROM (SELECT DISTINCT c FROM unnest(touched) AS c WHERE c IS NOT NULL) AS t
  ORDER BY 1
  ON CONFLICT ("companyId") DO UPDATE SET "version" = nextval('"FigureVersion_seq"');
  RETURN NULL;
END
$$;

CREATE TRIGGER "User_figure_version" AFTER INSERT OR DELETE OR UPDATE OF "name", "active", "role", "companyId" ON "User"
  FOR EACH ROW EXECUTE FUNCTION "figure_version_bump_user"();

-- Companies that already have figures start with a version (a company without a row is never cached).
INSERT INTO "FigureVersion" ("companyId", "version") SELECT "id", nextval('"FigureVersion_seq"') FROM "Company" ORDER BY "id";
