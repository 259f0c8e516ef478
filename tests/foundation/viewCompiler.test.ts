// The views compiled without `with` (src/web/viewCompiler.ts) write what EJS's own renderer writes, and say
// clearly what they cannot do (a local named like a global, an include not named from the views' root).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_CHARS, createViewRenderer, HtmlParts } from '../../src/web/viewCompiler.ts';
import { setupViews } from '../../src/web/views.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

// Locals, globals, a top-level const, a loop's own names, a helper, escaping, raw output, whitespace slurping,
// a comment, a literal tag, an include with data and one without, a missing optional local.
write(
  '_row.ejs',
  '<li class="<%= cls %>"><%= label %> (<%= Math.round(n) %>)' +
    '<% if (typeof note !== "undefined") { %> <%= note %><% } %></li>\n',
);
const page = write(
  'page.ejs',
  `<%# a comment %>
<% const title = heading.toUpperCase(); -%>
<h1><%= title %></h1>
<p><%- raw %> <%= "<b>&</b>" %> <%% literal %%></p>
<ul>
<% for (const item of items) { -%>
  <%- include('/_row', { label: item.name, n: item.n }) %>
<% } -%>
</ul>
<%_ if (locals.extra) { _%>
<p><%= extra %> <%= JSON.stringify({ a: 1 }) %> <%= format(3) %></p>
<%_ } _%>
<%- include('/_row', { label: 'last', n: 0.4, note: \`for \${heading}\` }) %>
`,
);
const data = {
  heading: 'Leads <& "co">',
  raw: '<i>kept</i>',
  cls: 'a"b',
  items: [
    { name: 'Ann <script>', n: 1.6 },
    { name: "O'Brien", n: 2.2 },
  ],
  extra: 'yes',
  format: (n: number) => `#${n}`,
};

describe('the views compiled without with', () => {
  it('write exactly what EJS writes, with and without debug', () => {
    const expected = ejs.render(readFileSync(page, 'utf8'), data, { filename: page, root: dir });
    expect(expected).toContain('<li class="a&#34;b">Ann &lt;script&gt; (2)</li>');
    expect(createViewRenderer(dir, true)(page, { ...data })).toBe(expected);
    expect(createViewRenderer(dir, false)(page, { ...data })).toBe(expected);
  });

  it('compile a template once when caching, and read it again on every render otherwise', () => {
    const file = write('edited.ejs', 'one <%= n %>');
    const cached = createViewRenderer(dir, true);
    const fresh = createViewRenderer(dir, false);
    expect([cached(file, { n: 1 }), fresh(file, { n: 1 })]).toEqual(['one 1', 'one 1']);
    write('edited.ejs', 'two <%= n %>');
    expect([cached(file, { n: 2 }), fresh(file, { n: 2 })]).toEqual(['one 2', 'two 2']);
  });

  it('refuse a local named like a global outside production, where the global would hide it', () => {
    const file = write('global.ejs', '<%= URL %>');
    expect(() => createViewRenderer(dir, false)(file, { URL: 'mine' })).toThrow(
      /the local "URL" is named like a global/,
    );
  });

  it('refuse an include not named from the views root', () => {
    const file = write('relative.ejs', "<%- include('_row', { label: 'x', n: 1, cls: '' }) %>");
    expect(() => createViewRenderer(dir, true)(file, {})).toThrow(/must name its file from the views' root/);
  });

  it("name the template and its line in an error's message outside production", () => {
    const file = write('broken.ejs', 'a\nb\n<%= missing.field %>\n');
    expect(() => createViewRenderer(dir, false)(file, {})).toThrow(`${file}:3`);
    expect(() => createViewRenderer(dir, true)(file, {})).toThrow(TypeError);
  });

  it('keep a long page in parts of bounded length, written out byte for byte as one string would be', async () => {
    // Over 65,536 characters, one of them not Latin-1: as one string, a 128 KB "large object" (viewCompiler.ts).
    write('_line.ejs', '<li data-i="<%= i %>">Acme’s <%= label %> – <%- raw %></li>\n');
    const long = write(
      'long.ejs',
      "<ul><% for (let i = 0; i < n; i++) { %><%- include('/_line', { i }) %><% } %></ul>" +
        "<%- include('/_block', { n }) %><p><%= 'é'.repeat(3) %></p>",
    );
    write('_block.ejs', '<% for (let i = 0; i < n; i++) { %><i><%= label %></i><% } %>');
    const locals = { n: 1500, label: 'Lead <a&b>', raw: '<b>bold</b>' };
    const expected = ejs.render(readFileSync(long, 'utf8'), locals, { filename: long, root: dir });
    expect(expected.length).toBeGreaterThan(70_000);
    const out = createViewRenderer(dir, true)(long, { ...locals });
    expect(out).toBeInstanceOf(HtmlParts);
    const parts = (out as HtmlParts).parts;
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2 * CHUNK_CHARS);
    expect(String(out)).toBe(expected);
    // A short page stays one string.
    expect(createViewRenderer(dir, true)(long, { ...locals, n: 3 })).toBeTypeOf('string');

    // Through Express (includes resolve in the app's views, so this page has none): the same bytes, type and length
    // as res.send of the string; a callback gets the string.
    const flat = write(
      'flat.ejs',
      '<% for (let i = 0; i < n; i++) { %><li>Acme’s <%= label %> – <%- raw %></li><% } %>',
    );
    const flatHtml = ejs.render(readFileSync(flat, 'utf8'), locals);
    expect(createViewRenderer(dir, true)(flat, { ...locals })).toBeInstanceOf(HtmlParts);
    const app = express();
    setupViews(app, true);
    app.set('views', dir);
    app.get('/long', (_req, res) => res.render('flat', { ...locals, layout: false }));
    app.get('/text', (_req, res) =>
      res.render('flat', { ...locals, layout: false }, (_err, html) =>
        res.type('text').send(`${typeof html} ${html.length}`),
      ),
    );
    const res = await request(app).get('/long').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(flatHtml));
    expect(res.text).toBe(flatHtml);
    expect((await request(app).head('/long').expect(200)).text ?? '').toBe('');
    expect((await request(app).get('/text').expect(200)).text).toBe(`string ${flatHtml.length}`);
  });
});
