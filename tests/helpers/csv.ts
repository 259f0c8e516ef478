// Reading the app's CSV exports back as a spreadsheet would: the raw bytes, then a real CSV parser
// (csv-parse, the sibling of the csv-stringify the app writes with). Every export shares the same
// bytes-level rules, checked here on every read: a UTF-8 byte-order mark, every cell quoted, CRLF
// after every record, the same number of cells in every record.
import { parse } from 'csv-parse/sync';
import type request from 'supertest';
import { expect } from 'vitest';

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type CsvFile = { bytes: Buffer; text: string; header: string[]; rows: string[][] };

/** The characters a spreadsheet reads as the start of a formula (csv-stringify's escape_formulas list). */
export const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Parses CSV bytes and checks the shared rules; throws (fails the test) when one is broken. */
export function readCsvBytes(bytes: Buffer): CsvFile {
  expect(bytes.subarray(0, 3).equals(BOM), 'starts with a UTF-8 byte-order mark').toBe(true);
  const text = bytes.subarray(3).toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(bytes.subarray(3)), 'valid UTF-8').toBe(true);
  const unquoted: string[] = [];
  const records = parse(text, {
    record_delimiter: '\r\n',
    cast: (value, context) => {
      if (!context.quoting)
        unquoted.push(`record ${context.records + 1}, column ${String(context.column)}: ${JSON.stringify(value)}`);
      return value;
    },
  }) as string[][];
  expect(unquoted, 'every cell is quoted').toEqual([]);
  expect(text.endsWith('\r\n'), 'the last record ends with CRLF').toBe(true);
  // Outside the quoted cells there is nothing but commas and CRLFs: no delimiter of any locale
  // (`;` included) and no formula can start a cell of its own.
  expect(text.replace(/"(?:[^"]|"")*"/g, ''), 'only commas and CRLFs outside quotes').toMatch(/^(?:,|\r\n)*$/);
  const [header, ...rows] = records;
  return { bytes, text, header, rows };
}

/** Sends the request, expects a CSV attachment (200) and returns it read back. */
export async function downloadCsv(req: request.Test, filename?: string): Promise<CsvFile> {
  const res = await req.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  if (filename) expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  return readCsvBytes(res.body as Buffer);
}

/** The cells of one column, by its header. */
export function column(csv: CsvFile, name: string): string[] {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`no column "${name}" in ${JSON.stringify(csv.header)}`);
  return csv.rows.map((r) => r[i]);
}
