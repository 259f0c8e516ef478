// The one mail module. With SMTP_URL it sends through that server (nodemailer, with timeouts
// in seconds so a dead server gives a clear page quickly); without, it writes each message
// under <dataDir>/mail/ and logs its text, so a developer can read a code.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Logger } from '../logger.ts';

/**
 * An iCalendar invitation carried by a message (nodemailer's icalEvent: a text/calendar part with its method, which
 * mail clients offer to add to the calendar). A message as the queue stores it (JSON): plain strings, and optional
 * attachments of text, passed to nodemailer field by field (a stored payload never sets the sender).
 */
export type MailCalendar = { method: 'REQUEST' | 'CANCEL'; content: string; filename: string };
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  icalEvent?: MailCalendar;
  attachments?: { filename: string; content: string; contentType?: string }[];
};
export type Mailer = { send: (message: MailMessage) => Promise<void>; close: () => void };

export class MailError extends Error {
  override name = 'MailError';
}

export function createMailer(opts: { smtpUrl?: string; from: string; dataDir: string; logger: Logger }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: opts.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
    } as SMTPTransport.Options);
    return {
      send: async (m) => {
        try {
          await transport.sendMail({
            from: opts.from,
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            icalEvent: m.icalEvent,
            attachments: m.attachments,
          });
        } catch (err) {
          opts.logger.error(
            { err: { message: (err as Error).message, code: (err as { code?: string }).code }, to: m.to },
            'mail not sent',
          );
          throw new MailError('The mail server did not accept the message.');
        }
      },
      close: () => transport.close(),
    };
  }
  const dir = path.resolve(opts.dataDir, 'mail');
  // nodemailer composes the file too, so headers are encoded exactly as for SMTP: a line break in a
  // subject can never start a header of its own (a hand-written "Subject: …" line once let it).
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (m) => {
      try {
        await mkdir(dir, { recursive: true });
        const file = path.join(
          dir,
          `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`,
        );
        const { message } = await composer.sendMail({
          from: opts.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          icalEvent: m.icalEvent,
          attachments: m.attachments,
        });
        await writeFile(file, message as Buffer, { mode: 0o600 });
        // Development only: the text is logged so a code can be read without a mail server.
        opts.logger.info(
          { to: m.to, subject: m.subject, file, text: m.text },
          'mail written to disk (SMTP_URL is not set)',
        );
      } catch (err) {
        throw new MailError(`Could not write the message: ${(err as Error).message}`);
      }
    },
    close: () => {},
  };
}
