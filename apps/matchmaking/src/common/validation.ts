import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from './problem';

/** A problem lists this many field errors at most: 5,000 unknown fields once made a 416 KB answer. */
export const MAX_FIELD_ERRORS = 20;

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property /, ''),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const all = flatten(errors);
      const shown = all.slice(0, MAX_FIELD_ERRORS);
      const omitted = all.length - shown.length;
      const detail =
        (shown.map((e) => `${e.field}: ${e.message}`).join('; ') || 'request is not valid') +
        (omitted ? `; and ${omitted} more` : '');
      return new ProblemException(400, 'INVALID_REQUEST', detail, {
        errors: shown,
        ...(omitted ? { errors_omitted: omitted } : {}),
      });
    },
  });
}
