// The import pages: the upload page of each kind (with the past imports), the mapping and preview page, the
// progress page (it refreshes itself while the job runs, no JavaScript) and the summary with its CSV of failed
// rows and the undo button.
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { Conflict, Forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import type { FieldErrors } from '../web/forms.ts';
import { hasControlChar } from '../web/input.ts';
import { sendCsv } from '../web/list.ts';
import { DELIMITER_NAMES, decodeCsv, type Delimiter, detectDelimiter, parseCsv } from './decode.ts';
import { findSame, matchOf, NO_MATCHES } from './match.ts';
import { failedRows, importContent, type LoadedImport, recentImports, savedMappings } from './queries.ts';
import { checkRow, errorText, rowValues } from './rows.ts';
import { activeUsersByEmail } from './run.ts';
import {
  ASSIGNEE_EMAIL,
  guessMapping,
  type ImportKind,
  importRefusal,
  importTargets,
  KINDS,
  type Target,
} from './targets.ts';
import { MAX_ROWS, MAX_UPLOAD_MB } from './upload.ts';
import { type Choices, createImport, saveChoices, startImport } from './writes.ts';
import { UNDO_DAYS, undoImport, undoRefusal } from './undo.ts';

const PREVIEW_ROWS = 10;
const REFRESH_SECONDS = 3;
export const DUPLICATE_CHOICES = {
  skip: 'Skip the row (keep the existing record as it is)',
  update: 'Update the existing record with the row’s values',
  create: 'Create a new record anyway',
} as const;

function refuseUnlessAllowed(user: CurrentUser, kind: ImportKind): void {
  const refusal = importRefusal(user, kind);
  if (refusal) throw new Forbidden(refusal);
}

export function importHandlers(deps: AppDeps) {
  const uploadPage = async (req: Request, res: Response, kind: ImportKind, status = 200, error = '') => {
    const [imports, mappings] = await Promise.all([recentImports(req.db, kind), savedMappings(req.db, kind)]);
    res.status(status).render('import/new', {
      title: `Import ${KINDS[kind].plural}`,
      kind: KINDS[kind],
      kindName: kind,
      imports,
      mappings,
      maxMb: MAX_UPLOAD_MB,
      maxRows: MAX_ROWS,
      error,
      undoable: (i: LoadedImport) => !undoRefusal(req.user!, i),
      undoDays: UNDO_DAYS,
      targets: importTargets(req.user!, kind),
    });
  };

  /** GET /customers/import, /leads/import. */
  const form =
    (kind: ImportKind): RequestHandler =>
    async (req, res) => {
      refuseUnlessAllowed(req.user!, kind);
      await uploadPage(req, res, kind);
    };

  /** POST /customers/import, /leads/import: the file read and kept, then its mapping page. */
  const upload =
    (kind: ImportKind): RequestHandler =>
    async (req, res) => {
      const user = req.user!;
      refuseUnlessAllowed(user, kind);
      const file = req.file;
      if (!file || file.size === 0) return uploadPage(req, res, kind, 422, 'Choose a CSV file to import.');
      const { text, encoding } = decodeCsv(file.buffer);
      if (text.includes('\u0000'))
        return uploadPage(req, res, kind, 422, 'This file is not a CSV file (it holds binary data).');
      const delimiter = detectDelimiter(text);
      const parsed = parseCsv(text, delimiter);
      if ('error' in parsed) return uploadPage(req, res, kind, 422, parsed.error);
      const [header = [], ...rows] = parsed.records;
      if (!rows.length) return uploadPage(req, res, kind, 422, 'The file has no rows under its header line.');
      if (rows.length > MAX_ROWS)
        return uploadPage(req, res, kind, 422, `The file has ${rows.length} rows; import at most ${MAX_ROWS} at once.`);
      const headers = header.map((h, i) => h.trim() || `Column ${i + 1}`);
      const mappings = await savedMappings(req.db, kind);
      const chosen = mappings.find((m) => String(m.id) === req.body?.mappingId);
      const mapping = guessMapping(headers, importTargets(user, kind), chosen?.columns as Record<string, string>);
      const fileName = (file.originalname || 'import.csv').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
      const imp = await createImport(req.db, user, {
        kind,
        fileName,
        content: text,
        delimiter,
        encoding,
        headers,
        mapping,
        totalRows: rows.length,
      });
      res.redirect(303, `/imports/${imp.id}`);
    };

  /** The mapping and preview page (status 422 with the posted choices when they are refused). */
  const previewPage = async (
    req: Request,
    res: Response,
    imp: LoadedImport,
    choices: Choices,
    errors: FieldErrors = {},
    formError = '',
  ) => {
    const user = req.user!;
    const kind = imp.kind as ImportKind;
    const targets = importTargets(user, kind);
    const content = await importContent(req.db, imp.id);
    const parsed = parseCsv(content, imp.delimiter as Delimiter, PREVIEW_ROWS + 1);
    const records = 'records' in parsed ? parsed.records.slice(1, PREVIEW_ROWS + 1) : [];
    // The preview checks only a valid mapping; a refused one shows the refusal first.
    const usable = Object.keys(errors).length === 0 && !formError;
    const ctx = {
      user,
      kind,
      mapping: choices.mapping,
      assignees: kind === 'LEAD' && usable ? await activeUsersByEmail(req.db, user.companyId!) : new Map(),
    };
    const checked = usable ? records.map((cells) => checkRow(ctx, cells)) : [];
    const duplicates =
      usable && choices.duplicates !== 'create'
        ? await findSame(
            req.db,
            kind,
            {
              companyId: user.companyId!,
              ...(kind === 'LEAD' && !seesOthersRows(user) ? { assigneeId: user.id } : {}),
            },
            checked.flatMap((c) => (c.ok ? [c] : [])),
          )
        : NO_MATCHES;
    const mapped = targets.filter((t) => choices.mapping.includes(t.name));
    const preview = checked.map((c, i) => {
      const values = rowValues(ctx, records[i]);
      const dup = c.ok ? (matchOf(duplicates, c) ?? undefined) : undefined;
      return {
        line: i + 2,
        cells: mapped.map((t) => previewCell(t, values, c.ok ? c.data : null)),
        problems: c.ok ? '' : errorText(kind, c.errors),
        duplicate: dup,
      };
    });
    res.status(Object.keys(errors).length || formError ? 422 : 200).render('import/preview', {
      title: `Import ${KINDS[kind].plural}: ${imp.fileName}`,
      imp,
      kind: KINDS[kind],
      headers: imp.headers as string[],
      samples: records[0] ?? [],
      delimiterName: DELIMITER_NAMES[imp.delimiter as Delimiter] ?? imp.delimiter,
      targets,
      choices,
      duplicateChoices: DUPLICATE_CHOICES,
      mapped,
      preview,
      fieldErrors: errors,
      formError,
    });
  };

  /** GET /imports/:id: the mapping and preview, the progress or the summary, by the import's status. */
  const show: RequestHandler = async (req, res) => {
    const imp = load.import.of(req);
    // Only the person who uploaded the file maps it; others (their account manager, a superuser) see its status.
    if (imp.status === 'PREVIEW' && imp.userId === req.user!.id)
      return previewPage(req, res, imp, {
        mapping: imp.mapping as string[],
        duplicates: imp.duplicates,
        mappingName: '',
      });
    const running = imp.status === 'QUEUED' || imp.status === 'RUNNING';
    // While the job runs the page reloads itself every few seconds, without JavaScript, through the Refresh header
    // (what <meta http-equiv="refresh"> does); ?refresh=off turns it off (WCAG 2.2.1: a timing the user can stop).
    const autoRefresh = running && req.query.refresh !== 'off';
    if (autoRefresh) res.set('Refresh', String(REFRESH_SECONDS));
    res.render('import/show', {
      title: `Import ${imp.fileName}`,
      imp,
      kind: KINDS[imp.kind as ImportKind],
      autoRefresh,
      running,
      percent: imp.totalRows ? Math.floor((imp.processed / imp.totalRows) * 100) : 0,
      undoBlocked: undoRefusal(req.user!, imp),
      undoDays: UNDO_DAYS,
      conflicts: [],
    });
  };

  /** POST /imports/:id: the mapping and duplicate rule; "Update preview" shows it, "Import" starts the job. */
  const choose: RequestHandler = async (req, res) => {
    const user = req.user!;
    const imp = load.import.of(req);
    const kind = imp.kind as ImportKind;
    refuseUnlessAllowed(user, kind);
    if (imp.status !== 'PREVIEW') throw new Conflict('This import has already started; its page shows how it went.');
    if (imp.userId !== user.id) throw new Forbidden('Only the person who uploaded the file maps its columns.');
    const { choices, errors, formError } = readChoices(req.body, imp.headers as string[], importTargets(user, kind));
    if (Object.keys(errors).length || formError) return previewPage(req, res, imp, choices, errors, formError);
    if (req.body?.action !== 'import') {
      if (!(await saveChoices(req.db, imp.id, choices))) throw new Conflict('This import has already started.');
      return previewPage(req, res, { ...imp, mapping: choices.mapping, duplicates: choices.duplicates }, choices);
    }
    const started = await startImport(deps, req.db, user, { ...imp, headers: imp.headers as string[] }, choices);
    if (!started) throw new Conflict('This import has already started; its page shows how it went.');
    flash(req, 'info', `The import of ${imp.fileName} has started.`);
    res.redirect(303, `/imports/${imp.id}`);
  };

  /** GET /imports/:id/failed.csv: the rows that failed, with their reasons, to fix and import again. */
  const failedCsv: RequestHandler = async (req, res) => {
    const imp = load.import.of(req);
    const rows = await failedRows(req.db, imp.id);
    sendCsv(res, {
      filename: `${imp.fileName.replace(/\.csv$/i, '')}-failed.csv`,
      timeZone: req.user!.timeZone,
      columns: ['row', 'problems', ...(imp.headers as string[])],
      rows: rows.map((r) => [r.line, r.reason, ...((r.cells as string[] | null) ?? [])]),
    });
  };

  /** POST /imports/:id/undo. */
  const undo: RequestHandler = async (req, res) => {
    const user = req.user!;
    const imp = load.import.of(req);
    refuseUnlessAllowed(user, imp.kind as ImportKind);
    const refusal = undoRefusal(user, imp);
    if (refusal) throw new Conflict(refusal);
    const result = await undoImport(deps.db, user, imp.id);
    if (!result.ok) {
      return res.status(409).render('import/show', {
        title: `Import ${imp.fileName}`,
        imp,
        kind: KINDS[imp.kind as ImportKind],
        autoRefresh: false,
        running: false,
        percent: 100,
        undoBlocked: null,
        undoDays: UNDO_DAYS,
        undoError: result.reason,
        conflicts: result.conflicts,
      });
    }
    flash(
      req,
      'success',
      `Import undone: ${result.deleted} created ${KINDS[imp.kind as ImportKind].plural} removed, ` +
        `${result.restored} updated ones restored.`,
    );
    res.redirect(303, `/imports/${imp.id}`);
  };

  return { form, upload, show, choose, failedCsv, undo };
}

/** A preview cell: the value as it will be saved (a choice by its label), or as typed when the row fails. */
function previewCell(t: Target, values: Record<string, string>, data: Record<string, unknown> | null): string {
  if (!data || !t.field || t.name === ASSIGNEE_EMAIL) return values[t.name] ?? '';
  return t.field.text(data);
}

const mappingName = z
  .string()
  .trim()
  .max(100, 'Use at most 100 characters.')
  .refine((s) => !hasControlChar(s), 'Remove the control characters.');

/** The posted choices, checked: each column's field (one of the user's targets, each at most once). */
export function readChoices(body: unknown, headers: string[], targets: Target[]) {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const allowed = new Set(targets.map((t) => t.name));
  const firstColumn = new Map<string, number>();
  const mapping = headers.map((_h, i) => {
    const v = b[`map_${i}`];
    const name = typeof v === 'string' ? v : '';
    if (name && !allowed.has(name)) {
      errors[`map_${i}`] = 'Choose a field from the list.';
      return name.slice(0, 50);
    }
    if (name && firstColumn.has(name)) {
      errors[`map_${i}`] = `Already chosen for the column "${headers[firstColumn.get(name)!]}".`;
      return name;
    }
    if (name) firstColumn.set(name, i);
    return name;
  });
  const duplicates = typeof b.duplicates === 'string' && b.duplicates in DUPLICATE_CHOICES ? b.duplicates : '';
  if (!duplicates) errors.duplicates = 'Choose what to do with a row whose email or phone is already known.';
  const name = mappingName.safeParse(typeof b.mappingName === 'string' ? b.mappingName : '');
  if (!name.success) errors.mappingName = name.error.issues[0].message;
  const missing = targets.filter((t) => t.required && !firstColumn.has(t.name)).map((t) => t.label);
  const formError = missing.length ? `Choose a column for ${missing.join(', ')}: every row needs it.` : '';
  return {
    choices: { mapping, duplicates: duplicates || 'skip', mappingName: name.success ? name.data : '' },
    errors,
    formError,
  };
}
