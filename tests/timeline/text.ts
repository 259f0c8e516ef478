// Reading the timeline in tests: a page's text as a reader sees it (tags out, entities decoded, spaces
// collapsed), and a record page's Timeline section.
import { first } from '../helpers/html.ts';

export { textOf as pageText } from '../audit/text.ts';

/** A record page's Timeline section (an element), or undefined when the page has none. */
export const timelineOf = (html: string) => first(html, '#timeline');
