// One page's accessibility check for the a11y walk: axe-core over WCAG 2.2 AA (and the A/AA
// levels of 2.0 and 2.1 below it) at desktop width, then at a phone's width the page must not
// scroll sideways and axe runs again (a table that scrolls in its own box is only a scrollable
// region at that width). Violations come back as readable lines: rule, element, and for colour
// contrast the measured ratio and colours.
import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const WIDE = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

type ContrastData = { contrastRatio?: number; expectedContrastRatio?: string; fgColor?: string; bgColor?: string };

/** Where the walk's time goes (milliseconds), for its figures. */
export const clock = { axeRuns: 0, axe: 0, inject: 0, load: 0 };

/**
 * Puts axe-core into the loaded page. page.evaluate goes through the DevTools protocol, which the
 * app's CSP (no inline scripts) does not govern; the walk asserts no CSP complaint was logged.
 * Written here rather than with @axe-core/playwright's AxeBuilder: its in-page ("legacy") mode
 * evaluates axe's 550 kB source twice per run and gives up on injection after one second (the
 * test machine's 2 shared cores miss that), its default mode opens a second page per run; this
 * page has no frames, so one injection per load and axe.run per width is the same check, faster.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate('typeof window.axe === "object"')) return;
  await page.evaluate(axe.source);
}

/**
 * Has every page the context loads from now on start with axe-core in it (CDP's "script to
 * evaluate on new document", outside the CSP too): sent to the browser once, where per-page
 * injection would send and compile the 550 kB source again for every page (the slowest step).
 */
export async function preloadAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: axe.source });
}

/** axe's violations on the page as it is now, one line per element. */
export async function axeViolations(page: Page): Promise<string[]> {
  // A page reached by a click may be checked as soon as its markup is there: wait for its stylesheets, or axe
  // measures unstyled links (a loaded CI machine once reported the nav's links as 17 px high targets).
  await page.waitForLoadState('load');
  let t0 = Date.now();
  await injectAxe(page);
  clock.inject += Date.now() - t0;
  t0 = Date.now();
  const options: axe.RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
  // A string, as the project's TypeScript has no DOM types; the function runs in the page.
  const results = (await page.evaluate(`window.axe.run(document, ${JSON.stringify(options)})`)) as axe.AxeResults;
  clock.axeRuns++;
  clock.axe += Date.now() - t0;
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => {
      const data = [...n.any, ...n.all, ...n.none]
        .map((c) => c.data as ContrastData | null)
        .find((d) => d?.contrastRatio !== undefined);
      const contrast = data
        ? ` ${data.contrastRatio}:1 (${data.fgColor} on ${data.bgColor}, needs ${data.expectedContrastRatio})`
        : '';
      const summary = data ? '' : ` — ${n.failureSummary?.replace(/\s+/g, ' ')}`;
      return `${v.id} [${v.impact}] ${n.target.join(' ')}${contrast}${summary}`;
    }),
  );
}

/** How many CSS pixels the page is wider than the window (0 when it does not scroll sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate('Math.max(0, document.documentElement.scrollWidth - window.innerWidth)') as Promise<number>;
}

/** The outermost elements that stick out past the window's right edge unclipped, to say what made a page too wide. */
export function widestElements(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const sticksOut = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.')
        : '')
      + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)';
    const walk = (el) => {
      for (const child of el.children) {
        if (sticksOut(child)) out.push(name(child));
        else if (!clips(child)) walk(child);
      }
    };
    walk(document.body);
    // An absolutely positioned element escapes a scrolling box that is not its containing block.
    for (const el of document.querySelectorAll('body *')) {
      if (['absolute', 'fixed'].includes(getComputedStyle(el).position) && sticksOut(el)) {
        out.push('positioned ' + name(el));
      }
    }
    return out.slice(0, 5);
  })()`) as Promise<string[]>;
}

/**
 * Boxes that scroll sideways but are not focusable, labelled regions (so a keyboard cannot scroll them, or a reader
 * cannot name them).
 */
export function unreachableScrollers(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
      if (!scrolls || el.scrollWidth <= el.clientWidth + 1) continue;
      const named = el.getAttribute('role') === 'region'
        && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
      if (el.tabIndex < 0 || !named) {
        const box = el.tagName.toLowerCase() + '.' + el.className.trim().split(/\\s+/).join('.');
        out.push(box + ' scrolls but is not a focusable, labelled region');
      }
    }
    return out;
  })()`) as Promise<string[]>;
}

export type PageResult = {
  who: string;
  path: string;
  status: number;
  violations: string[];
  overflow: number;
  culprits: string[];
};

/** Checks the page already loaded at WIDE; leaves it at WIDE. */
export async function checkLoadedPage(page: Page, who: string, path: string, status: number): Promise<PageResult> {
  const violations = (await axeViolations(page)).map((v) => `${WIDE.width}px: ${v}`);
  await page.setViewportSize(PHONE);
  const overflow = await sidewaysOverflow(page);
  const culprits = overflow ? await widestElements(page) : [];
  violations.push(...(await unreachableScrollers(page)).map((v) => `${PHONE.width}px: ${v}`));
  violations.push(...(await axeViolations(page)).map((v) => `${PHONE.width}px: ${v}`));
  await page.setViewportSize(WIDE);
  return { who, path, status, violations, overflow, culprits };
}

/** A failure line per problem of the result (none when the page passed). */
export function failuresOf(r: PageResult): string[] {
  const where = `${r.who} GET ${r.path} (${r.status})`;
  const out = r.violations.map((v) => `${where} ${v}`);
  if (r.overflow)
    out.push(
      `${where} ${PHONE.width}px: page scrolls sideways by ${r.overflow}px; sticking out: ${r.culprits.join(', ')}`,
    );
  return out;
}
