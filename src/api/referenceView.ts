// The reference page's content, read from the OpenAPI document itself (not from the route table), so the page
// shows exactly what the document says: each operation with its permission, parameters, body fields and answers,
// and each schema's fields. Types are written out in words, with a link where a type is a named schema.
import type { OpenApiDocument } from './openapi.ts';
import {
  anchorOf,
  describe,
  fieldsOf,
  type RefField,
  type Schema,
  schemaAnchor,
  type TypePart,
  typeOf,
} from './referenceFields.ts';
import type { JsonSchema } from './openapiSchemas.ts';

export type RefAnswer = {
  status: string;
  description: string;
  type: TypePart[];
  mediaType: string | null;
  headers: string[];
};
export type RefOperation = {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  permission: string;
  parameters: (RefField & { in: string })[];
  body: RefField[] | null;
  answers: RefAnswer[];
};
export type Reference = {
  title: string;
  description: string;
  server: string;
  sections: { tag: string; anchor: string; operations: RefOperation[] }[];
  schemas: { name: string; anchor: string; title: string; fields: RefField[] }[];
};

const resolve = (doc: OpenApiDocument, ref: string): Schema =>
  ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, '/')], doc) as Schema;

function answersOf(doc: OpenApiDocument, responses: Record<string, Schema>): RefAnswer[] {
  return Object.entries(responses).map(([status, raw]) => {
    const r = raw.$ref ? resolve(doc, raw.$ref) : raw;
    const content = (r.content ?? {}) as Record<string, { schema?: Schema }>;
    const [mediaType, media] = Object.entries(content)[0] ?? [];
    return {
      status,
      description: r.description ?? '',
      type: media ? typeOf(media.schema) : [{ text: 'no body' }],
      mediaType: mediaType ?? null,
      headers: Object.keys((r.headers ?? {}) as object),
    };
  });
}

export function referenceOf(doc: OpenApiDocument): Reference {
  const server = ((doc.servers as { url: string }[])[0]?.url ?? '').replace(/\/$/, '');
  const byTag = new Map<string, RefOperation[]>();
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as Schema & { parameters?: JsonSchema[]; requestBody?: Schema; tags?: string[] };
      const body = (op.requestBody?.content as Record<string, { schema: Schema }> | undefined)?.['application/json'];
      const operation: RefOperation = {
        anchor: `op-${anchorOf(String(op.operationId))}`,
        method: method.toUpperCase(),
        path: server + path,
        summary: String(op.summary ?? ''),
        description: String(op.description ?? ''),
        permission: String(op['x-permission'] ?? ''),
        parameters: (op.parameters ?? []).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          type: typeOf(p.schema as Schema),
          required: p.required === true,
          description: describe({ ...(p.schema as Schema), description: String(p.description ?? '') }),
        })),
        body: body ? fieldsOf(body.schema) : null,
        answers: answersOf(doc, op.responses as Record<string, Schema>),
      };
      const tag = op.tags?.[0] ?? 'API';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
    }
  const schemas = Object.entries(((doc.components as Schema).schemas ?? {}) as Record<string, Schema>);
  const info = doc.info as { title: string; description: string };
  return {
    title: info.title,
    description: info.description,
    server,
    sections: [...byTag].map(([tag, operations]) => ({ tag, anchor: `tag-${anchorOf(tag)}`, operations })),
    schemas: schemas.map(([name, s]) => ({
      name,
      anchor: schemaAnchor(name),
      title: String(s.title ?? s.description ?? ''),
      fields: fieldsOf(s),
    })),
  };
}
