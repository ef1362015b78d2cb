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
