// The views compiled without JavaScript's `with`. EJS runs each template inside `with (locals)`, so every name the
// code uses (its own helpers and variables too) is looked up in the locals object first, at run time, and each
// template call and include copies all the locals twice. Here EJS still parses the template (Template's
// generateSource, EJS 7.0.2 pinned); the function around it is built here: the names the template's code uses are
// read from the locals once at its top, and an include gets one copy of its parent's locals with its own data.
// The lead list renders in about 40% less CPU. Nothing written by hand replaces EJS's parser, only the wrapper.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
/** A view's output: a string, or its parts once it grows past CHUNK_CHARS (see HtmlParts). */
export type ViewOutput = string | HtmlParts;
type Compiled = (
  locals: Locals,
  escapeFn: (s: unknown) => string,
  include: Include,
  parts: typeof HtmlParts,
) => ViewOutput;
type Include = (file: string, data?: Locals) => ViewOutput;

/**
 * A view's output kept as parts of at most about CHUNK_CHARS characters each, never joined into one string. A
 * string of more than 128 KB (65,536 characters once one of them is not Latin-1: ’, –, …) is a "large object" in
 * V8, and on this kind of machine (a Firecracker VM) allocating one cost about 0.6 ms: for the three pages just
 * over that size (the dashboards, the week) more than their rendering. The response writes each part's bytes
 * (sendHtml in src/web/views.ts); a template that reads a big include's output as a string gets it joined.
 */
export class HtmlParts {
  constructor(readonly parts: string[]) {}
  toString(): string {
    return this.parts.join('');
  }
}
/** The characters a view's output collects before it starts a new part. */
export const CHUNK_CHARS = 16_384;

/** JavaScript's own globals (Math, JSON, Intl, …) and the host's (URL, process, …): never read from the locals. */
const GLOBALS = new Set([
  ...vm.runInNewContext('Object.getOwnPropertyNames(globalThis)'),
  ...Object.getOwnPropertyNames(globalThis),
]);
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for ' +
    'function if import in instanceof let new null of return super switch this throw true try typeof var void ' +
    'while with yield async await enum implements interface package private protected public static arguments ' +
    'eval locals escapeFn include __append __output __line __parts __Parts'
  ).split(' '),
);
const DECLARED = /Identifier '([\w$]+)' has already been declared/;
const BODY_PARAMS = 'locals, escapeFn, include, __Parts';

/**
 * The names a template's code may read from its locals: every identifier of its code that is not a property
 * (`.name`), a reserved word or a global. Words inside the code's strings are taken too: a name read and never
 * used costs a property read, a name missed would be an error.
 */
function candidateNames(body: string): string[] {
  const code = body.replace(/^ {4}; __append\("(?:\\.|[^"\\])*"\)$/gm, '').replace(/\.\.\./g, ' ');
  const names = new Set<string>();
  for (const [, name] of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)/g)) {
    if (!RESERVED.has(name) && !GLOBALS.has(name)) names.add(name);
  }
  return [...names];
}

function compile(file: string, debug: boolean): Compiled {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const template = new ejs.Template(text, { filename: file, compileDebug: debug, localsName: 'locals' });
  // generateSource is the part of Template.compile that turns the template into code (untyped in @types/ejs).
  (template as unknown as { generateSource(): void }).generateSource();
  // With debug, EJS's `__line = n` statements say where an error happened: the message names the line.
  const body = debug
    ? `let __line = 1; try {\n${template.source}\n} catch (e) { e.message = ${JSON.stringify(file)} + ':' + __line +
      '\\n' + e.message; throw e; }`
    : template.source;
  let names = candidateNames(template.source);
  for (;;) {
    const reads = names.map((n) => `${n} = locals.${n}`).join(', ');
    const source = `let __output = '', __parts = null;
      function __append(s) {
        if (s === undefined || s === null) return;
        if (typeof s === 'object' && s instanceof __Parts) {
          (__parts ??= []).push(__output, ...s.parts);
          __output = '';
          return;
        }
        __output += s;
        if (__output.length > ${CHUNK_CHARS}) {
          (__parts ??= []).push(__output);
          __output = '';
        }
      }
      ${reads ? `let ${reads};` : ''}
      ${body}
      return __parts ? new __Parts([...__parts, __output]) : __output;`;
    try {
      return new Function(BODY_PARAMS, source) as Compiled;
    } catch (err) {
      // A name the template declares at its top level is its own: drop it from the reads and compile again.
      const declared = err instanceof SyntaxError ? DECLARED.exec(err.message)?.[1] : undefined;
      if (!declared || !names.includes(declared)) {
        if (err instanceof Error) err.message = `${err.message} while compiling ${file}`;
        throw err;
      }
      names = names.filter((n) => n !== declared);
    }
  }
}

/**
 * render(file, locals): the template's HTML. cache (production): each template compiled once; otherwise read and
 * compiled on every render (an edited template shows at once), and a local named like a global is an error.
 */
export function createViewRenderer(viewsDir: string, cache: boolean) {
  const compiled = new Map<string, Compiled>();
  const load = (file: string) => {
    let fn = compiled.get(file);
    if (!fn) {
      fn = compile(file, !cache);
      if (cache) compiled.set(file, fn);
    }
    return fn;
  };
  const files = new Map<string, string>();
  const resolve = (from: string, name: string) => {
    let target = files.get(name);
    if (target === undefined) {
      if (!name.startsWith('/')) throw new Error(`${from}: include('${name}') must name its file from the views' root`);
      target = path.join(viewsDir, name.endsWith('.ejs') ? name : `${name}.ejs`);
      files.set(name, target);
    }
    return target;
  };
  const render = (file: string, locals: Locals): ViewOutput => {
    const fn = load(file);
    if (!cache) refuseGlobalNames(file, locals);
    // Includes name their file from the views' root, like EJS's `root` option: include('/partials/nav'). An
    // include gets one copy of its parent's locals with its data on top (a prototype chain instead measured
    // slower: V8 reshapes each object made a prototype).
    const include: Include = (name, data) => render(resolve(file, name), data ? { ...locals, ...data } : { ...locals });
    return fn(locals, ejs.escapeXML, include, HtmlParts);
  };
  return render;
}

/** A local named like a global would be hidden by the global in the compiled views: refused where it shows. */
function refuseGlobalNames(file: string, locals: Locals): void {
  for (const key of Object.keys(locals)) {
    if (GLOBALS.has(key)) {
      throw new Error(`${file}: the local "${key}" is named like a global; the view would not see it`);
    }
  }
}
