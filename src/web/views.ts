// EJS with a layout: each page renders into views/layout.ejs as `body` unless it sets layout=false.
// EJS 7 ignores Express's `view options`, so the engine is registered here by hand; it renders through
// src/web/viewCompiler.ts (the views compiled without `with`).
import path from 'node:path';
import type { Express } from 'express';
import ejs from 'ejs';
import type { Shown } from '../audit/present.ts';
import { badgeTone } from './badges.ts';
import { createViewRenderer } from './viewCompiler.ts';

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views');
const LAYOUT = path.join(VIEWS_DIR, 'layout.ejs');

/** cache (production): Express keeps each view's resolved path and EJS its compiled function. */
export function setupViews(app: Express, cache: boolean): void {
  app.set('views', VIEWS_DIR);
  app.set('view cache', cache);
  app.set('view engine', 'ejs');
  // Helpers every view may call, set once (res.locals are per request).
  app.locals.badgeTone = badgeTone;
  app.locals.shownHtml = shownHtml;
  const render = createViewRenderer(VIEWS_DIR, cache);
  app.engine('ejs', (file, options, done) => {
    const locals = options as Record<string, unknown>;
    let html: string;
    try {
      const body = render(file, locals);
      html = locals.layout === false ? body : render(LAYOUT, { ...locals, body });
    } catch (err) {
      return done(err);
    }
    done(null, html);
  });
}

/**
 * A shown name (the audit trail's, the timeline's): a link to its page when the viewer may open it, else the text;
 * both escaped as `<%= %>` does. Written once here for the views that show names in a loop, without an include each.
 */
export function shownHtml(shown: Shown): string {
  const text = ejs.escapeXML(shown.text);
  return shown.href ? `<a href="${ejs.escapeXML(shown.href)}">${text}</a>` : text;
}
