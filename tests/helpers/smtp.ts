// A real SMTP server (smtp-server) on a free local port: the app sends through it with SMTP_URL,
// and tests read what arrived.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type CapturedMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  from: string;
  /** The other parts, text/calendar invitations among them (with the content type's parameters, e.g. method). */
  attachments: { contentType: string; method?: string; filename?: string; content: string }[];
};

export class MailCatcher {
  messages: CapturedMail[] = [];
  /** When set, the server refuses messages (to test a failing mail server). */
  refuse = false;
  private server: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        if (this.refuse) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
          return;
        }
        simpleParser(stream).then((m) => {
          const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
          this.messages.push({
            to,
            from: m.from?.text ?? '',
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: typeof m.html === 'string' ? m.html : '',
            attachments: m.attachments.map((a) => ({
              contentType: a.contentType,
              method: (a.headers.get('content-type') as { params?: { method?: string } } | undefined)?.params?.method,
              filename: a.filename,
              content: a.content.toString('utf8'),
            })),
          });
          for (const w of this.waiters.splice(0)) w();
          callback();
        }, callback);
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  clear(): void {
    this.messages = [];
  }

  /**
   * The newest message to `to`, waiting briefly for it to arrive. Mail is sent by the job queue's worker, after
   * the request: when `to` already received a message, pass `subject` to wait for the new one.
   */
  async latestTo(to: string, timeoutMs = 5000, subject?: string): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.messages]
        .reverse()
        .find((m) => m.to.toLowerCase().includes(to.toLowerCase()) && (subject === undefined || m.subject === subject));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
