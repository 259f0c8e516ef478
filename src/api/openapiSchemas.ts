// The OpenAPI document's schemas, converted by zod's own z.toJSONSchema (JSON Schema 2020-12, OpenAPI 3.1's
// dialect): answers as `components.schemas` referred to by `$ref` (io 'output'), bodies and query parameters
// inline where they are used (io 'input', what a client may send). A schema keeps the name its `.meta({ id })`
// gives; one without gets a name from its route's path (`/v1/tasks/:id` → `Task`).
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
/** zod puts schemas with an id that the registry does not hold under this name (see `hoistShared`). */
const SHARED = '__shared';

/** `customers` → `Customer`, `activities` → `Activity`, `me` → `Me`. */
const singular = (word: string) => word.replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
const pascal = (word: string) => word.replace(/(^|[-_.])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * Name candidates for a route's answer: `/v1/leads/:id/convert` → `Lead`, `LeadConvert`; `/v1/groups/:id` →
 * `Group`, `GroupDetail` (when the list's row took `Group`); then `GroupGet`. Give a schema `.meta({ id })` to choose.
 */
export function namesFromPath(path: string, method = 'get'): string[] {
  const words = path.split('/').filter((s) => s && s !== 'v1' && !s.startsWith(':'));
  if (!words.length) return ['Answer'];
  const [first, ...rest] = words;
  const base = pascal(singular(first));
  const names = [base];
  if (rest.length) names.push(base + rest.map(pascal).join(''));
  if (/\/:\w+$/.test(path)) names.push(`${base}Detail`);
  names.push(names[names.length - 1] + pascal(method));
  return names;
}

export class SchemaSet {
  private readonly answers = z.registry<{ id: string }>();
  private readonly inputs = z.registry<{ id: string }>();
  private readonly names = new Map<z.ZodType, string>();
  private readonly used = new Set<string>();
  private inputCount = 0;

  /** A `$ref` to the answer schema's component: named by its id, else the first free candidate. */
  ref(schema: z.ZodType, candidates: string[]): JsonSchema {
    let name = this.names.get(schema);
    if (!name) {
      const own = z.globalRegistry.get(schema)?.id;
      const wanted = typeof own === 'string' ? [own, ...candidates] : candidates;
      name = wanted.find((n) => !this.used.has(n)) ?? `${wanted[0]}${this.used.size}`;
      this.names.set(schema, name);
      this.used.add(name);
      this.answers.add(schema, { id: name });
    }
    return { $ref: COMPONENTS + name };
  }

  /** A placeholder for a schema a client sends, replaced by its JSON Schema in `finish`. */
  input(schema: z.ZodType): JsonSchema {
    const id = `__input${this.inputCount++}`;
    this.inputs.add(schema, { id });
    return { $input: id };
  }

  /** The components and the input schemas, each without `$schema`/`$id`, every `$ref` pointing at a component. */
  finish(): { components: Record<string, JsonSchema>; inputs: Record<string, JsonSchema> } {
    const uri = (id: string) => COMPONENTS + id;
    const components: Record<string, JsonSchema> = {};
    const answers = z.toJSONSchema(this.answers, { uri, io: 'output' }).schemas as Record<string, JsonSchema>;
    Object.assign(components, hoistShared(answers, components));
    const inputs = z.toJSONSchema(this.inputs, { uri, io: 'input' }).schemas as Record<string, JsonSchema>;
    return { components, inputs: hoistShared(inputs, components) };
  }
}

/**
 * Makes zod's registry output fit a document: `$schema` and `$id` dropped, and the schemas it put under `__shared`
 * (nested schemas with an id the registry does not hold) moved into the components, their refs rewritten to match.
 * A shared schema whose name a different one holds already is added as `<name>Input`. Returns the others.
 */
function hoistShared(schemas: Record<string, JsonSchema>, components: Record<string, JsonSchema>) {
  const renames = new Map<string, string>();
  const shared = (schemas[SHARED]?.$defs ?? {}) as Record<string, JsonSchema>;
  for (const [id, def] of Object.entries(shared)) {
    const name = components[id] && JSON.stringify(components[id]) !== JSON.stringify(def) ? `${id}Input` : id;
    renames.set(id, name);
  }
  const fix = <T>(value: T): T =>
    JSON.parse(
      JSON.stringify(value).replace(/"#\/components\/schemas\/__shared#\/\$defs\/([^"]+)"/g, (_m, id: string) =>
        JSON.stringify(COMPONENTS + (renames.get(id) ?? id)),
      ),
    ) as T;
  for (const [id, def] of Object.entries(shared)) components[renames.get(id) ?? id] = fix(def);
  const members: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    if (id === SHARED) continue;
    const { $schema: _s, $id: _i, ...rest } = schema;
    members[id] = fix(rest);
  }
  return members;
}
