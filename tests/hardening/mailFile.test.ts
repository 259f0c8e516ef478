// The development mail file (no SMTP_URL) is composed by nodemailer like a sent message: a line
// break in a subject (a task title from before line breaks were refused) cannot add a header.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/mail/mailer.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-mailfile-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('a subject with CR/LF stays one Subject header; the file parses back with no Bcc', async () => {
  const mailer = createMailer({ from: 'CRM <no-reply@crm.test>', dataDir, logger: createLogger('silent') });
  await mailer.send({
    to: 'ada@example.test',
    subject: 'Task: X\r\nBcc: someone@else.test',
    text: 'Café, Łódź',
    html: '<p>Café, Łódź</p>',
  });
  const [file] = readdirSync(path.join(dataDir, 'mail'));
  const raw = readFileSync(path.join(dataDir, 'mail', file));
  expect(raw.toString()).not.toMatch(/^Bcc:/im);
  const parsed = await simpleParser(raw);
  expect(parsed.bcc).toBeUndefined();
  expect(parsed.headers.has('bcc')).toBe(false);
  expect(parsed.subject).toMatch(/^Task: X\s*Bcc: someone@else\.test$/);
  expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('ada@example.test');
  expect(parsed.text?.trim()).toBe('Café, Łódź');
});
