// A page's text as a reader sees it (tags out, entities decoded, spaces collapsed).
export { textOf as pageText } from '../audit/text.ts';
