import { NextFunction, Request, Response } from 'express';
import { invalid, ProblemException } from './problem';

/** SPEC §5: deeper JSON is refused before validation, whose recursion overflowed the stack on it. */
export const MAX_JSON_DEPTH = 32;

/** Keys that class-transformer drops silently (they would reach object prototypes): unknown fields. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Walks a parsed body without recursion: too deep, or a prototype key, is a 400 naming the field. */
export function bodyShapeProblem(body: unknown): ProblemException | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return new ProblemException(
        400,
        'INVALID_REQUEST',
        `request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
        {
          errors: [{ field: path || 'body', message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels` }],
        },
      );
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, depth: depth + 1, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return invalid(field, `${key} should not exist`);
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: field });
    }
  }
  return null;
}

/** Express middleware, right after the JSON body parser. */
export function bodyShapeGuard(req: Request, _res: Response, next: NextFunction): void {
  next(bodyShapeProblem(req.body) ?? undefined);
}
