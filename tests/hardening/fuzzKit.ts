// The fuzzer's parts: hostile values, the forms of a page (read with a real HTML parser), and the
// route table's paths with real ids put in. Used by fuzz.test.ts.
import { Parser } from 'htmlparser2';
import type { RouteDef } from '../../src/web/routes.ts';

/** A value already percent-encoded for a urlencoded body or query string. */
export type Payload = { label: string; raw: string };
const enc = (label: string, value: string): Payload => ({ label, raw: encodeURIComponent(value) });

/** Sent into the fields of a form one field at a time, as payloadsFor picks them. */
export const FIELD_PAYLOADS: Payload[] = [
  enc('NUL', 'a\u0000b'),
  enc('CR/LF', 'X\r\nBcc: someone@else.test'),
  enc('overlong', 'x'.repeat(20_000)),
  { label: 'invalid UTF-8', raw: '%C3%28%FF%FE%ED%A0%80' },
  enc('odd date', '2026-02-30T25:61'),
  enc('huge number', '99999999999999999999'),
];

/** Sent into every field of a form at once. */
export const BULK_PAYLOADS: Payload[] = [
  enc('control', 'a\u0007\u001bb'),
  enc('negative', '-1'),
  enc('year 0', '0000-00-00T00:00'),
  enc('far date', '275760-09-14T00:00'),
  enc('Infinity', '1e309'),
  enc('NaN', 'NaN'),
  enc('fraction', '1.5'),
  enc('blank', '   '),
  enc('markup and SQL', '<script>"\'; DROP TABLE "Lead"; --'),
  enc('bidi and emoji', '\u202Eabc😀\uFEFF'),
];

/** Sent into every query parameter of a page at once. */
export const QUERY_PAYLOADS: Payload[] = [
  ...FIELD_PAYLOADS.filter((p) => p.label !== 'overlong'),
  enc('long', 'x'.repeat(2_000)),
  ...BULK_PAYLOADS.slice(0, 4),
];

/** Sent into every field of a form at once: the typed payloads no field got alone, and the odd values. */
export const FORM_PAYLOADS: Payload[] = [...FIELD_PAYLOADS.slice(2), ...BULK_PAYLOADS];

export type ScrapedForm = {
  method: 'get' | 'post';
  action: string;
  fields: [string, string][];
  types: Record<string, string>;
};

/**
 * The payloads worth sending into one field of this kind, each alone: the character-level ones into
 * every field, overlong text into typed text, odd dates into dates, huge numbers into picks and numbers.
 */
export function payloadsFor(type: string): Payload[] {
  const [nul, crlf, overlong, utf8, date, number] = FIELD_PAYLOADS;
  const typed = ['text', 'textarea', 'email', 'tel', 'password', 'search', 'url'].includes(type)
    ? [overlong]
    : ['date', 'datetime-local', 'time'].includes(type)
      ? [date]
      : [number];
  return [nul, crlf, utf8, ...typed];
}

// A plausible value for an empty field, by input type, so a create form's baseline passes its
// validation and the fuzzed field is the only thing wrong (else "Enter the name." hides the rest).
const FILL: Record<string, string> = {
  text: 'Fuzz value',
  textarea: 'Fuzz notes',
  email: 'fuzz@example.test',
  tel: '+1 555 0100',
  number: '1',
  date: '2030-01-15',
  'datetime-local': '2030-01-15T10:00',
  time: '10:00',
  search: '',
  password: '',
};

/**
 * The forms of a page with the values a browser would submit (checked boxes, selected options),
 * empty fields filled with a plausible value and a select with nothing chosen set to its first real option.
 */
export function formsOf(html: string, pagePath: string): ScrapedForm[] {
  const forms: ScrapedForm[] = [];
  let form: ScrapedForm | null = null;
  let select: { name: string; first: string | null; chosen: string | null } | null = null;
  let option: { value: string | null; selected: boolean; text: string } | null = null;
  let textarea: { name: string; text: string } | null = null;
  const parser = new Parser(
    {
      onopentag(tag, a) {
        if (tag === 'form') {
          form = {
            method: (a.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
            action: a.action || pagePath,
            fields: [],
            types: {},
          };
          forms.push(form);
        }
        if (!form || a.disabled !== undefined) return;
        if (tag === 'input' && a.name) {
          const type = (a.type ?? 'text').toLowerCase();
          if ((type === 'checkbox' || type === 'radio') && a.checked === undefined) return;
          if (type === 'submit' || type === 'button') return;
          form.fields.push([
            a.name,
            a.value || (type === 'checkbox' ? 'on' : type === 'hidden' ? '' : (FILL[type] ?? '')),
          ]);
          form.types[a.name] = type;
        }
        if (tag === 'textarea' && a.name) textarea = { name: a.name, text: '' };
        if (tag === 'select' && a.name) select = { name: a.name, first: null, chosen: null };
        if (tag === 'option' && select)
          option = { value: a.value ?? null, selected: a.selected !== undefined, text: '' };
      },
      ontext(text) {
        if (textarea) textarea.text += text;
        if (option) option.text += text;
      },
      onclosetag(tag) {
        if (tag === 'textarea' && textarea && form) {
          form.fields.push([textarea.name, decode(textarea.text) || FILL.textarea]);
          form.types[textarea.name] = 'textarea';
          textarea = null;
        }
        if (tag === 'option' && option && select) {
          const value = option.value ?? option.text.trim();
          if (value !== '') select.first ??= value;
          if (option.selected) select.chosen = value;
          option = null;
        }
        if (tag === 'select' && select && form) {
          const value = select.chosen ?? select.first;
          if (value !== null) form.fields.push([select.name, value]);
          form.types[select.name] = 'select';
          select = null;
        }
        if (tag === 'form') form = null;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return forms;
}

const decode = (s: string) => s.replace(/^\n/, '');

/** A urlencoded body or query from fields, with one field's value (or all fields' values) replaced by a raw payload. */
export function encodeFields(
  fields: [string, string][],
  replace?: { name: string | '*'; raw: string; repeat?: boolean },
): string {
  const parts: string[] = [];
  for (const [name, value] of fields) {
    const hit = replace && name !== '_csrf' && (replace.name === '*' || replace.name === name);
    const raw = hit ? replace.raw : encodeURIComponent(value);
    parts.push(`${encodeURIComponent(name)}=${raw}`);
    if (hit && replace.repeat) parts.push(`${encodeURIComponent(name)}=${raw}`);
  }
  return parts.join('&');
}

/** The route's path with each `:param` replaced by the id of a record the role works with. */
export function concretePath(route: RouteDef, ids: Record<string, number | string>): string | null {
  if (!route.path.includes(':')) return route.path;
  const domain = route.path.split('/')[1];
  const id = ids[domain];
  return id === undefined ? null : route.path.replace(/:\w+/, String(id));
}

/** Ids that no route may answer with a 5xx: malformed, out of range, hostile. */
export const BAD_IDS = ['0', '-1', '1e3', '99999999999', '%00', 'abc', '1%0d%0a', '%C3%28', '..%2f..%2f'];
