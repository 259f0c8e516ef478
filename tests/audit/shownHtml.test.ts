// shownHtml (src/web/views.ts) writes what the include it replaced wrote: the same markup, escaped by EJS's own
// function, for a name with and without a link, with markup and quotes in both.
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { shownHtml } from '../../src/web/views.ts';

const INCLUDE =
  '<% if (shown.href) { %><a href="<%= shown.href %>"><%= shown.text %></a><% } else { %><%= shown.text %><% } %>';

describe('shownHtml', () => {
  const cases = [
    { text: 'Clara Weber', href: '/users/9' },
    { text: 'Clara Weber' },
    { text: `<script>alert("x")</script> & 'Co'`, href: `/leads/1?a=1&b="2"<x>` },
    { text: '' },
  ];
  it.each(cases)('writes %o as the include did', (shown) => {
    expect(shownHtml(shown)).toBe(ejs.render(INCLUDE, { shown }));
  });
  it('escapes what it writes', () => {
    expect(shownHtml({ text: '<b>&</b>', href: '/x?"' })).toBe('<a href="/x?&#34;">&lt;b&gt;&amp;&lt;/b&gt;</a>');
  });
});
