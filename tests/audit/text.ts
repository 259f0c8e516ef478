// Reading audit pages as a person does: the text without tags, and a record page's History section.

/** The page's text as a reader sees it: tags out, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The History section of a record page, or null when the page has none. */
export function historyOf(html: string): string | null {
  const m = /<section[^>]*aria-labelledby="history-heading"[^>]*>([\s\S]*?)<\/section>/.exec(html);
  return m ? m[1] : null;
}
