// EJS with a layout: each page renders into views/layout.ejs as `body` unless it sets layout=false.
// EJS 7 ignores Express's `view options`, so the engine is registered here by hand; it renders through
// src/web/viewCompiler.ts (the views compiled without `with`).
import path from 'node:path';
import type { Express, Request, Response } from 'express';
import ejs from 'ejs';
import type { Shown } from '../audit/present.ts';
import { badgeTone } from './badges.ts';
import { createViewRenderer, type ViewOutput } from './viewCompiler.ts';

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
    let html: ViewOutput;
    try {
      const body = render(file, locals);
      html = locals.layout === false ? body : render(LAYOUT, { ...locals, body });
    } catch (err) {
      return done(err);
    }
    // Express types the engine's result as a string; a long page's is its parts, which sendHtml writes.
    done(null, html as string);
  });
  // res.render's own answer goes through sendHtml; a caller's callback gets the page as one string.
  type Done = (err: Error | null, html?: ViewOutput) => void;
  const expressRender = app.response.render as (this: Response, view: string, locals: unknown, done: Done) => void;
  app.response.render = function render(this: Response, view: string, options?: unknown, callback?: unknown) {
    const given = typeof options === 'function' ? options : callback;
    const locals = typeof options === 'function' ? {} : (options as object | undefined);
    const done: Done = given
      ? (err, html) => (given as (e: Error | null, h?: string) => void)(err, html === undefined ? html : `${html}`)
      : (err, html) => (err ? this.req.next!(err) : sendHtml(this, html ?? ''));
    expressRender.call(this, view, locals, done);
  } as Express['response']['render'];
}

/** A view's HTML without the layout, as one string: a part of a page kept to be shown again (a cache's). */
export function renderFragment(req: Request, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    req.app.render(view, { ...locals, layout: false }, (err, html) => (err ? reject(err) : resolve(`${html}`)));
  });
}

/** A rendered page as the answer: a string as res.send sends it, a long page's parts as bytes one part at a time. */
export function sendHtml(res: Response, html: ViewOutput): void {
  if (typeof html === 'string') {
    res.send(html);
    return;
  }
  if (!res.get('Content-Type')) res.type('html');
  res.send(Buffer.concat(html.parts.map((part) => Buffer.from(part))));
}

/**
 * A shown name (the audit trail's, the timeline's): a link to its page when the viewer may open it, else the text;
 * both escaped as `<%= %>` does. Written once here for the views that show names in a loop, without an include each.
 */
export function shownHtml(shown: Shown): string {
  const text = ejs.escapeXML(shown.text);
  return shown.href ? `<a href="${ejs.escapeXML(shown.href)}">${text}</a>` : text;
}
