// Reading an uploaded CSV: its encoding (UTF-8 with or without a byte-order mark, else Windows-1252, as Excel
// writes on Windows), its delimiter (comma, semicolon or tab, from the header line) and its records (csv-parse:
// quoted fields may hold delimiters and newlines; empty lines are skipped).
import { parse } from 'csv-parse/sync';

export type Encoding = 'UTF-8' | 'Windows-1252';
export type Delimiter = ',' | ';' | '\t';
export const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The file as text: strict UTF-8 first (a byte-order mark dropped); bytes that are not UTF-8 are Windows-1252. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'UTF-8' };
  } catch {
    return { text: fromWindows1252(new TextDecoder('windows-1252').decode(bytes)), encoding: 'Windows-1252' };
  }
}

/**
 * Windows-1252's bytes 0x80–0x9F (€, ’, “, ”, –, …) as their characters. By the WHATWG Encoding standard
 * TextDecoder('windows-1252') already does this, but some Node versions decode those bytes as ISO-8859-1's control
 * characters U+0080–U+009F (a fast path that treats the label as Latin-1), so the 27 characters are mapped here;
 * the five bytes Windows-1252 leaves undefined stay as they are.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function fromWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * The delimiter of the header line: the candidate found most often outside quotes (a header "Name, first"
 * in quotes does not count). Comma when none is found (a one-column file).
 */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] > 0 ? best : ',';
}

/**
 * The file's records (the header first; at most `limit` of them when given), each cell a string; an error message
 * when the file cannot be read.
 */
export function parseCsv(
  text: string,
  delimiter: Delimiter,
  limit?: number,
): { records: string[][] } | { error: string } {
  try {
    const records = parse(text, {
      ...(limit ? { to: limit } : {}),
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // Excel writes a stray quote inside an unquoted cell now and then ("12" screen"): kept as text.
      relax_quotes: true,
    }) as string[][];
    return { records };
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    return { error: `The file could not be read as CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message ?? ''}` };
  }
}
