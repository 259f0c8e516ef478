// Message templates: each has a plain-text part and a simple HTML part. Links are built from
// APP_URL, never from a request's Host header. No message ever contains a password.
import ejs from 'ejs';
import type { MailMessage } from './mailer.ts';

const esc = (s: string) => ejs.escapeXML(s);

type Link = { url: string; label: string };

/** A message: its lines as paragraphs, then its links (the first is the main one). */
export function message(to: string, subject: string, lines: string[], link?: Link | Link[]): MailMessage {
  const links = link ? (Array.isArray(link) ? link : [link]) : [];
  const text = [...lines, ...(links.length ? [''] : []), ...links.map((l) => `${l.label}: ${l.url}`), '', '— CRM'].join(
    '\n',
  );
  const paragraphs = lines.map((l) => `<p>${esc(l)}</p>`).join('');
  const linkParagraphs = links.map((l) => `<p><a href="${esc(l.url)}">${esc(l.label)}</a></p>`).join('');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">${paragraphs}${linkParagraphs}` +
    '<p style="color:#666">— CRM</p></body></html>';
  return { to, subject, text, html };
}

export const mailTemplates = {
  signInCode: (to: string, code: string) =>
    message(to, `Your sign-in code: ${code}`, [
      `Your sign-in code is ${code}.`,
      'It is valid for 10 minutes and can be used once. If you did not try to sign in, change your password.',
    ]),
  passwordReset: (to: string, url: string) =>
    message(
      to,
      'Reset your CRM password',
      [
        'Someone asked to reset the password of your CRM account. If it was you, use the link below within one hour.',
        'If it was not you, ignore this message: your password stays as it is.',
      ],
      { url, label: 'Choose a new password' },
    ),
  invitation: (to: string, inviter: string, company: string, url: string) =>
    message(
      to,
      `You are invited to ${company} on CRM`,
      [
        `${inviter} created a CRM account for you at ${company}.`,
        'Choose your password with the link below; it is valid for 72 hours.',
      ],
      { url, label: 'Set your password' },
    ),
  assignment: (to: string, what: string, title: string, url: string, by: string) =>
    message(to, `${what} assigned to you: ${title}`, [`${by} assigned the ${what.toLowerCase()} "${title}" to you.`], {
      url,
      label: `Open the ${what.toLowerCase()}`,
    }),
  appointment: (
    to: string,
    change: 'invited' | 'moved' | 'cancelled',
    title: string,
    when: string,
    url: string | null,
  ) =>
    message(
      to,
      `Appointment ${change}: ${title}`,
      [
        change === 'invited'
          ? `You are invited to "${title}" on ${when}.`
          : change === 'moved'
            ? `"${title}" now takes place on ${when}.`
            : `"${title}" on ${when} was cancelled.`,
      ],
      url ? { url, label: 'Open the appointment' } : undefined,
    ),
  appointmentRemoved: (to: string, title: string, when: string, by: string) =>
    message(to, `Removed from appointment: ${title}`, [
      `${by} removed you from the attendees of "${title}" on ${when}.`,
    ]),
};
