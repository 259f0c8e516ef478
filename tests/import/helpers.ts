// The import tests' tools: real files as bytes (UTF-8 with or without a BOM, Windows-1252), the upload and
// mapping forms as a browser posts them, waiting for the job, and table snapshots for the undo's comparisons.
import { expect } from 'vitest';
import type { TestContext } from '../helpers/context.ts';
import { csrfFrom } from '../helpers/html.ts';
import type { Session } from '../helpers/session.ts';

const WINDOWS_1252_EXTRA: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 };

/** Text as Windows-1252 bytes (what Excel writes on a Western European Windows). */
export function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
      const b = WINDOWS_1252_EXTRA[ch];
      if (b === undefined) throw new Error(`no Windows-1252 byte for ${ch}`);
      return b;
    }),
  );
}
export const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
export const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Uploads a file as the upload page's form does; returns the response (303 to the mapping page when read). */
export function postFile(s: Session, kind: 'customers' | 'leads', bytes: Buffer, name = 'people.csv', csrf = true) {
  const req = s.agent.post(`/${kind}/import`);
  if (csrf) req.field('_csrf', s.csrf);
  return req.attach('file', bytes, { filename: name, contentType: 'text/csv' });
}

export async function upload(s: Session, kind: 'customers' | 'leads', bytes: Buffer, name?: string): Promise<number> {
  const res = await postFile(s, kind, bytes, name).expect(303);
  const m = /^\/imports\/(\d+)$/.exec(res.headers.location);
  expect(m, res.text).not.toBeNull();
  return Number(m![1]);
}

/** The mapping page's form: each column's select as the page chose it, unless `mapping` says otherwise. */
export async function mappingForm(s: Session, id: number): Promise<Record<string, string>> {
  const page = await s.get(`/imports/${id}`).expect(200);
  const form: Record<string, string> = {};
  for (const m of page.text.matchAll(/<select id="f-(map_\d+)" name="map_\d+"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]);
    form[m[1]] = selected ? selected[1] : '';
  }
  expect(csrfFrom(page.text)).toBeTruthy();
  return form;
}

/** Posts the mapping page's form; `status` is the answer expected (303 for an import, 200 for a preview). */
export async function choose(
  s: Session,
  id: number,
  options: { duplicates?: string; action?: 'preview' | 'import'; map?: Record<string, string>; mappingName?: string },
  status?: number,
) {
  const form = { ...(await mappingForm(s, id)), ...options.map };
  const action = options.action ?? 'import';
  return s
    .post(`/imports/${id}`, {
      ...form,
      duplicates: options.duplicates ?? 'skip',
      action,
      mappingName: options.mappingName ?? '',
    })
    .expect(status ?? (action === 'import' ? 303 : 200));
}

/** Waits for the test app's worker to finish the import (it polls the queue every half second). */
export async function finished(ctx: TestContext, id: number, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const imp = await ctx.prisma.import.findUniqueOrThrow({ where: { id } });
    if (imp.status === 'DONE' || imp.status === 'FAILED') return imp;
    if (Date.now() > until) throw new Error(`import ${id} still ${imp.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Uploads, maps as guessed (plus `map`), imports and waits. */
export async function importFile(
  ctx: TestContext,
  s: Session,
  kind: 'customers' | 'leads',
  bytes: Buffer,
  options: { duplicates?: string; map?: Record<string, string> } = {},
) {
  const id = await upload(s, kind, bytes);
  await choose(s, id, { ...options, action: 'import' });
  return finished(ctx, id);
}

/** Every row of a table, every column, in id order: what "the exact previous state" is compared on. */
export async function snapshot(ctx: TestContext, table: 'Customer' | 'Lead'): Promise<unknown[]> {
  const { rows } = await ctx.db.pool.query(`SELECT * FROM "${table}" ORDER BY id`);
  return rows;
}
