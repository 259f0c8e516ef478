// The people the task tests work with: two companies, each role, and a form builder.
import type { TestContext } from '../helpers/context.ts';

export async function taskWorld(ctx: TestContext) {
  const a = await ctx.make.company({ name: 'Acme' });
  const b = await ctx.make.company({ name: 'Bolt' });
  const managerA = await ctx.make.manager(a.id, { name: 'Mona Manager' });
  const staffA = await ctx.make.staff(a.id, { name: 'Sam Staff' });
  const colleagueA = await ctx.make.staff(a.id, { name: 'Tess Colleague' });
  const managerB = await ctx.make.manager(b.id, { name: 'Boris Bolt' });
  const staffB = await ctx.make.staff(b.id, { name: 'Bea Bolt' });
  const superuser = await ctx.make.superuser({ name: 'Sue Super' });
  return { a, b, managerA, staffA, colleagueA, managerB, staffB, superuser };
}

/** A complete task form; override what the test is about. */
export function taskForm(o: Record<string, string> = {}): Record<string, string> {
  return { title: 'Call back', description: '', customerId: '', assigneeId: '', dueAt: '', priority: 'NORMAL', status: 'OPEN', ...o };
}

/** The value of a form field as rendered (input value or selected option). */
export function fieldValue(html: string, name: string): string | null {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (input) return input[1];
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (select) return /<option value="([^"]*)" selected>/.exec(select[1])?.[1] ?? '';
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return area ? area[1] : null;
}

/** The options a select offers, as values. */
export function optionValues(html: string, name: string): string[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  return select ? [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean) : [];
}
