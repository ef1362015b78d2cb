import { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/** A schema that admits only null, in OpenAPI 3.0.3 terms (3.0 has no `type: 'null'`). */
const NULL_ONLY: Schema = { type: 'object', nullable: true, enum: [null] };

/**
 * OpenAPI 3.0.3 says `nullable` adds null to the `type` only: an enum must still list null, and an
 * `allOf` or `$ref` beside it still demands the referenced object. Swagger's decorators emit both
 * (`{type: object, nullable, allOf: [ref]}`), so every nullable enum gets `null` in its list and every
 * nullable reference becomes `anyOf [ref, null]`.
 */
export function strictNullable(document: OpenAPIObject): OpenAPIObject {
  visit(document.components?.schemas);
  visit(document.paths);
  return document;
}

function visit(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  for (const value of Object.values(schema)) visit(value);
  if (schema.nullable !== true) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  const target = schema.$ref ? { $ref: schema.$ref } : schema.allOf ? { allOf: schema.allOf } : undefined;
  if (!alternatives && !target) return;
  const key = schema.oneOf ? 'oneOf' : 'anyOf';
  for (const k of ['$ref', 'allOf', 'anyOf', 'oneOf', 'nullable', 'type']) delete schema[k];
  schema[key] = [...(alternatives ?? [target]), NULL_ONLY];
}
