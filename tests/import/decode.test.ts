// Reading files: the encodings (UTF-8 with and without a BOM, Windows-1252 with its 0x80–0x9F characters), the
// delimiter from the header line (quotes respected), and the records (quoted newlines, empty lines skipped).
import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, parseCsv } from '../../src/import/decode.ts';
import { guessMapping, importTargets } from '../../src/import/targets.ts';
import type { CurrentUser } from '../../src/access/currentUser.ts';
import { utf8, utf8Bom, windows1252 } from './helpers.ts';

describe('reading an uploaded CSV', () => {
  it('decodes UTF-8 with or without a BOM, and Windows-1252 (€, ’, accents) when the bytes are not UTF-8', () => {
    expect(decodeCsv(utf8('Name\nMüller'))).toEqual({ text: 'Name\nMüller', encoding: 'UTF-8' });
    const bom = decodeCsv(utf8Bom('Name\nMüller'));
    expect(bom.encoding).toBe('UTF-8');
    expect(parseCsv(bom.text, ',')).toEqual({ records: [['Name'], ['Müller']] });
    expect(decodeCsv(windows1252('Name;Note\nSociété;l’€ – “ok”'))).toEqual({
      text: 'Name;Note\nSociété;l’€ – “ok”',
      encoding: 'Windows-1252',
    });
  });

  it('finds the delimiter of the header line, outside quotes', () => {
    expect(detectDelimiter('Name;Email;Phone\na,b;c')).toBe(';');
    expect(detectDelimiter('Name\tEmail\tPhone\r\nx')).toBe('\t');
    expect(detectDelimiter('"Name; first",Email\n')).toBe(',');
    expect(detectDelimiter('Name\nA;B;C;D')).toBe(',');
  });

  it('keeps quoted newlines and delimiters, skips empty lines, and says where a file is broken', () => {
    const text = 'Name\tAddress\r\n"Ada"\t"1 Road\r\nLondon"\r\n\r\nBob\t"a\tb"\r\n';
    expect(parseCsv(text, '\t')).toEqual({
      records: [
        ['Name', 'Address'],
        ['Ada', '1 Road\r\nLondon'],
        ['Bob', 'a\tb'],
      ],
    });
    const broken = parseCsv('Name\n"unterminated\n', ',');
    expect('error' in broken && broken.error).toMatch(/^The file could not be read as CSV/);
  });

  it('guesses fields from headers in other words and accents, each field once', () => {
    const manager = {
      id: 1,
      role: 'ACCOUNT_MANAGER',
      companyId: 1,
      permissions: new Set(['lead.add', 'lead.assign', 'customer.view', 'customer.add']),
    } as unknown as CurrentUser;
    const lead = importTargets(manager, 'LEAD');
    expect(guessMapping(['Deal name', 'E-Mail', 'Téléphone', 'Société', 'Assigned to', 'Email'], lead)).toEqual([
      'title',
      'email',
      'phone',
      'organisation',
      'assigneeEmail',
      '',
    ]);
    const staff = { ...manager, role: 'STAFF' } as unknown as CurrentUser;
    expect(importTargets(staff, 'LEAD').map((t) => t.name)).not.toContain('assigneeEmail');
    expect(guessMapping(['Assignee'], importTargets(staff, 'LEAD'))).toEqual(['']);
  });
});
