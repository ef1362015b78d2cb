import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from './problem';

const OPAQUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Ids are opaque: anything that cannot be one of ours is simply not found. */
@Injectable()
export class OpaqueIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!OPAQUE_ID.test(value)) throw notFound();
    return value;
  }
}

/** Ids that other systems make (game ids, pool keys): any printable text up to 128 characters. */
const MAX_EXTERNAL_ID_LENGTH = 128;
const isPrintable = (value: string) => ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** A NUL or another control character cannot be in a stored id, so such an id is not found (not a 400). */
@Injectable()
export class ExternalIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!value || value.length > MAX_EXTERNAL_ID_LENGTH || !isPrintable(value)) throw notFound();
    return value;
  }
}
