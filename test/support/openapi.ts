import { writeFileSync } from 'fs';
import { join as joinPath, resolve } from 'path';
import ts from 'typescript';

/**
 * OpenAPI 3.0.3 schema → JSON Schema for Ajv, with 3.0.3's strict semantics: `nullable` adds null to
 * the `type` only (an enum must list null itself; a schema without `type`, such as a `$ref` or an
 * `allOf`, is not made nullable), and a `$ref`'s siblings are ignored. Objects with declared properties
 * get `additionalProperties: false`, so an undocumented field in a real response fails like a missing one.
 */
export function toJsonSchema(s: any): any {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  if (typeof s.$ref === 'string') return { $ref: s.$ref };
  const out: any = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'example' || k === 'examples' || k === 'nullable' || k === 'description') continue;
    out[k] =
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, toJsonSchema(ps)]))
        : toJsonSchema(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (s.nullable === true && typeof s.type === 'string') out.type = [s.type, 'null'];
  return out;
}

/**
 * Type-checks `source` (a module of typed client calls) in `dir` under strict TypeScript and returns the
 * diagnostics: a wrong path, field or type in the document fails to compile.
 */
export function typeCheckUsage(dir: string, source: string): string[] {
  writeFileSync(joinPath(dir, 'usage.ts'), source);
  const program = ts.createProgram([joinPath(dir, 'usage.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    baseUrl: dir,
    paths: { 'openapi-fetch': [resolve('node_modules/openapi-fetch')] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
