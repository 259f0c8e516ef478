// Reading the app's pages in tests with a real HTML parser (htmlparser2), not regular expressions:
// the text of an element, a form's fields as a browser would submit them, a table's rows, the error
// beside a field. Selectors are small CSS: `tag`, `#id`, `.class`, `[attr]`, `[attr="v"]`, `[attr^="v"]`,
// compounds of those (`td a[href^="/leads/"]`) and descendants separated by spaces.
import { parseDocument } from 'htmlparser2';
import { type AnyNode, type Element, isTag } from 'domhandler';
import { findAll, textContent } from 'domutils';

export type Html = string | { text: string };
const source = (html: Html) => (typeof html === 'string' ? html : html.text);

const documents = new Map<string, AnyNode[]>();
/** The parsed page (the last few parses are kept: a test often asks several questions of one page). */
function nodesOf(html: Html): AnyNode[] {
  const text = source(html);
  let nodes = documents.get(text);
  if (!nodes) {
    nodes = parseDocument(text).children;
    if (documents.size > 8) documents.delete(documents.keys().next().value!);
    documents.set(text, nodes);
  }
  return nodes;
}

type Attr = { name: string; op: '' | '=' | '^='; value: string };
type Simple = { tag?: string; id?: string; classes: string[]; attrs: Attr[] };

function parseCompound(part: string): Simple {
  const s: Simple = { classes: [], attrs: [] };
  const re = /^([a-z0-9*-]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:(\^?=)"?([^"\]]*)"?)?\]/gi;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(part)) && m[0]) {
    consumed += m[0].length;
    if (m[1]) s.tag = m[1].toLowerCase();
    else if (m[2]) s.id = m[2];
    else if (m[3]) s.classes.push(m[3]);
    else s.attrs.push({ name: m[4], op: (m[5] ?? '') as Attr['op'], value: m[6] ?? '' });
  }
  if (consumed !== part.length) throw new Error(`unsupported selector part "${part}"`);
  return s;
}

function matches(el: Element, s: Simple): boolean {
  if (s.tag && s.tag !== '*' && el.name !== s.tag) return false;
  if (s.id && el.attribs.id !== s.id) return false;
  const classes = (el.attribs.class ?? '').split(/\s+/);
  if (!s.classes.every((c) => classes.includes(c))) return false;
  return s.attrs.every(({ name, op, value }) => {
    const v = el.attribs[name];
    if (v === undefined) return false;
    return op === '' ? true : op === '=' ? v === value : v.startsWith(value);
  });
}

/** Every element matching `selector`, in document order. */
export function all(html: Html | Element, selector: string): Element[] {
  const chain = selector.trim().split(/\s+/).map(parseCompound);
  const roots = typeof html === 'object' && 'attribs' in html ? html.children : nodesOf(html);
  let found: Element[] = [];
  chain.forEach((s, i) => {
    const bases = i === 0 ? [roots] : found.map((el) => el.children);
    const next = new Set<Element>();
    for (const base of bases) for (const el of findAll((e) => matches(e, s), base)) next.add(el);
    found = [...next];
  });
  return found;
}

/** The first element matching `selector`, or undefined. */
export const first = (html: Html | Element, selector: string): Element | undefined => all(html, selector)[0];

/** An element's text with whitespace collapsed, as a reader sees it. */
export const textOf = (el: AnyNode): string => textContent(el).replace(/\s+/g, ' ').trim();

/** The text of the first element matching `selector`, or null when there is none. */
export function text(html: Html | Element, selector: string): string | null {
  const el = first(html, selector);
  return el ? textOf(el) : null;
}

/** The texts of every element matching `selector`. */
export const texts = (html: Html | Element, selector: string): string[] => all(html, selector).map(textOf);

/**
 * The texts of the links to a record page (`/leads/12`, not `/leads/12/edit`) inside `within`
 * (table cells by default): a list's rows in the order shown.
 */
export function recordTitles(html: Html | Element, base: string, within = 'td'): string[] {
  const page = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+$`);
  return all(html, `${within} a[href]`)
    .filter((a) => page.test(a.attribs.href))
    .map(textOf);
}

/** The number an element `[data-metric=name]` shows (1,234 read as 1234), or null when there is none. */
export function metric(html: Html, name: string): number | null {
  const shown = text(html, `[data-metric="${name}"]`);
  return shown !== null && /^[0-9,]+$/.test(shown) ? Number(shown.replace(/,/g, '')) : null;
}

/** The rows of the first table matching `selector` (header row included), each as its cells' texts. */
export function tableRows(html: Html, selector = 'table'): string[][] {
  const table = first(html, selector);
  if (!table) throw new Error(`no table ${selector} on the page`);
  return all(table, 'tr').map((tr) =>
    all(tr, '*')
      .filter((c) => c.name === 'td' || c.name === 'th')
      .map(textOf),
  );
}

const fieldsNamed = (html: Html | Element, name: string) =>
  all(html, `[name="${name}"]`).filter((el) => ['input', 'select', 'textarea'].includes(el.name));

/** What a select submits: its selected option's value ('' when none is selected). */
const selectValue = (select: Element) => first(select, 'option[selected]')?.attribs.value ?? '';

/**
 * The value of a form field as rendered: an input's value, a select's selected option, a textarea's
 * text; null when the page has no such field.
 */
export function fieldValue(html: Html | Element, name: string): string | null {
  const el = fieldsNamed(html, name)[0];
  if (!el) return null;
  if (el.name === 'select') return selectValue(el);
  if (el.name === 'textarea') return textContent(el).replace(/^\n/, '');
  return el.attribs.value ?? '';
}

/** The values a select offers, without the empty "choose" option. */
export function optionValues(html: Html, name: string): string[] {
  const select = fieldsNamed(html, name).find((el) => el.name === 'select');
  return select
    ? all(select, 'option')
        .map((o) => o.attribs.value ?? '')
        .filter(Boolean)
    : [];
}

/** The values of the checked checkboxes (or radio buttons) named `name`. */
export const checkedValues = (html: Html, name: string): string[] =>
  fieldsNamed(html, name)
    .filter((el) => el.attribs.checked !== undefined)
    .map((el) => el.attribs.value ?? 'on');

/**
 * The fields a form submits, as a browser would (checked boxes only, selected options, text areas);
 * the form is the first whose action is `action` (or the first form of the page).
 */
export function formFields(html: Html, action?: string): Record<string, string | string[]> {
  const form = all(html, 'form').find((f) => action === undefined || f.attribs.action === action);
  if (!form) throw new Error(`no form ${action ?? ''} on the page`);
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = out[name];
    out[name] = had === undefined ? value : ([] as string[]).concat(had, value);
  };
  for (const el of all(form, '[name]')) {
    const name = el.attribs.name;
    if (el.name === 'select') add(name, selectValue(el));
    else if (el.name === 'textarea') add(name, textContent(el).replace(/^\n/, ''));
    else if (el.name === 'input') {
      const type = el.attribs.type ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && el.attribs.checked === undefined) continue;
      if (type === 'submit' || type === 'button') continue;
      add(name, el.attribs.value ?? (type === 'checkbox' ? 'on' : ''));
    }
  }
  return out;
}

/** The form that POSTs to `action`, if the page has one. */
export const postForm = (html: Html, action: string): Element | undefined =>
  all(html, 'form').find((f) => (f.attribs.method ?? '').toLowerCase() === 'post' && f.attribs.action === action);

/**
 * The error shown beside a field: the element its aria-describedby names, else the
 * `.invalid-feedback` in the same group; null when the field shows none.
 */
export function fieldError(html: Html, name: string): string | null {
  const el = fieldsNamed(html, name)[0];
  if (!el) throw new Error(`no field ${name} on the page`);
  for (const id of (el.attribs['aria-describedby'] ?? '').split(/\s+/).filter(Boolean)) {
    const target = first(html, `#${id}`);
    if (target && (target.attribs.class ?? '').includes('invalid-feedback')) return textOf(target);
  }
  for (let p = el.parent; p && isTag(p); p = p.parent) {
    const feedback = first(p, '.invalid-feedback');
    if (feedback) return textOf(feedback);
    if (p.name === 'fieldset' || (p.attribs.class ?? '').split(/\s+/).includes('mb-3')) break;
  }
  return null;
}

/** The CSRF token of the page's first form. */
export function csrfFrom(html: Html | Element): string {
  const token = first(html, 'input[name="_csrf"]')?.attribs.value;
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}
