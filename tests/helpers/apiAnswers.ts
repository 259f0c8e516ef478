// Every answer of the JSON API in the tests, checked against the OpenAPI document the app serves (issue 17: "every
// response of the API test suite validates against the served OpenAPI document"). The test app hands each API
// answer to `ApiAnswerLog.observe` (src/api/observer.ts); useTestContext checks them after each test and fails it
// on a mismatch: a status the operation does not declare, another content type, a body its schema refuses (ajv,
// JSON Schema 2020-12 with formats), a required header missing. Paths that are no operation must answer a problem.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Express } from 'express';
import request from 'supertest';
import type { ApiAnswer } from '../../src/api/observer.ts';
import type { OpenApiDocument } from '../../src/api/openapi.ts';

type Node = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const DOC_ID = 'https://crm.test/api/v1/openapi.json';
/** What a path that is no operation may answer: its 404, or what comes before it (token, throttle, JSON body). */
const NO_OPERATION = new Set([400, 401, 403, 404, 413, 415, 429]);
/** A JSON pointer (without its `#/`) as a URI fragment: `~` and `/` escaped, then percent-encoded (`{id}`). */
const pointer = (...keys: string[]) =>
  keys.map((k) => encodeURIComponent(k.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export class AnswerValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp; params: number }[];

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
    this.templates = Object.keys(doc.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
        params: (path.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** What is wrong with an answer, compared with the document ([] when it fits). */
  problemsOf(a: ApiAnswer): string[] {
    const what = `${a.method} ${a.path} → ${a.status}`;
    const method = a.method === 'HEAD' ? 'get' : a.method.toLowerCase();
    const template = this.templates.find((t) => t.pattern.test(a.path) && this.doc.paths[t.path][method]);
    if (!template) {
      if (!NO_OPERATION.has(a.status)) return [`${what}: no operation answers this, and it is no problem status`];
      return this.bodyProblems(a, what, pointer('components', 'schemas', 'Problem'), 'application/problem+json');
    }
    const responses = (this.doc.paths[template.path][method] as Node).responses as Node;
    let at = pointer('paths', template.path, method, 'responses', String(a.status));
    let response = responses[String(a.status)] as Node | undefined;
    if (!response) return [`${what}: status not declared for ${method.toUpperCase()} ${template.path}`];
    if (typeof response.$ref === 'string') {
      const keys = response.$ref.slice(2).split('/');
      at = pointer(...keys);
      response = keys.reduce<Node>((node, key) => node[key] as Node, this.doc);
    }
    const problems: string[] = [];
    for (const [name, h] of Object.entries((response.headers ?? {}) as Record<string, Node>))
      if (h.required && a.headers[name.toLowerCase()] === undefined) problems.push(`${what}: no ${name} header`);
    const content = response.content as Record<string, unknown> | undefined;
    if (!content) return a.body ? [...problems, `${what}: a body where none is declared`] : problems;
    const mediaType = (a.contentType ?? '').split(';')[0].trim();
    if (!(mediaType in content))
      return [...problems, `${what}: content type "${mediaType}", declared ${Object.keys(content).join(', ')}`];
    if (a.method === 'HEAD') return problems;
    return [...problems, ...this.bodyProblems(a, what, `${at}/${pointer('content', mediaType, 'schema')}`, mediaType)];
  }

  private bodyProblems(a: ApiAnswer, what: string, schemaAt: string, mediaType: string): string[] {
    if ((a.contentType ?? '').split(';')[0].trim() !== mediaType)
      return [`${what}: content type "${a.contentType}", expected ${mediaType}`];
    let body: unknown;
    try {
      body = JSON.parse(a.body);
    } catch {
      return [`${what}: the body is not JSON`];
    }
    const validate = this.validatorAt(schemaAt);
    if (validate(body)) return [];
    return [`${what}: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })} (${a.body.slice(0, 300)})`];
  }

  private validatorAt(at: string): ValidateFunction {
    let v = this.compiled.get(at);
    if (!v) {
      v = this.ajv.getSchema(`${DOC_ID}#/${at}`);
      if (!v) throw new Error(`No schema at ${at} in the OpenAPI document.`);
      this.compiled.set(at, v);
    }
    return v;
  }
}

/** The answers of one test file's app: collected as they are sent, checked after each test. */
export class ApiAnswerLog {
  private pending: ApiAnswer[] = [];
  private validator: AnswerValidator | undefined;
  /** How many answers were checked so far (a test can prove the check ran). */
  checked = 0;

  readonly observe = (answer: ApiAnswer) => {
    this.pending.push(answer);
  };

  /** Checks what was answered since the last call against the document the app serves. */
  async check(app: Express): Promise<string[]> {
    const answers = this.pending;
    this.pending = [];
    if (!answers.length) return [];
    this.validator ??= new AnswerValidator(await servedDocument(app));
    this.checked += answers.length;
    return answers.flatMap((a) => this.validator!.problemsOf(a));
  }
}

export async function servedDocument(app: Express): Promise<OpenApiDocument> {
  const res = await request(app).get('/api/v1/openapi.json').expect(200);
  return res.body as OpenApiDocument;
}
