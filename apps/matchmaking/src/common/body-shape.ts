import { json } from 'body-parser';
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

/**
 * Express middleware: the JSON body (at most `limit`), parsed and then walked by bodyShapeProblem. One
 * layer, not the parser's and the guard's: every request passes each layer before its route. A body
 * that does not parse, is too large or has a bad shape goes on as an error, to the app's problem handler.
 */
export function jsonBody(limit: string) {
  const parse = json({ limit });
  return (req: Request, res: Response, next: NextFunction): void =>
    parse(req, res, (error?: unknown) => next(error ?? bodyShapeProblem(req.body) ?? undefined));
}
