import { applyDecorators } from '@nestjs/common';
import { Exclude, Transform, Type } from 'class-transformer';

/** Exposes no key, so class-transformer builds one without reading any of the value's keys. */
@Exclude()
class OpaqueJson {}

/**
 * For a DTO property that holds JSON the caller shapes (a task's `payload`, a webhook's
 * `data`): `plainToInstance` hands the parsed value over as it came instead of copying it key
 * by key. That copy de-duplicates each object's keys in quadratic time (60,000 keys took 14 s
 * and held the event loop all along) and recursed without bound. The value is already
 * bounded and its strings checked (json-limits.ts, in the body parser); what it must hold is
 * the business of whoever reads it (the task type's own DTO).
 *
 * `@Type` points class-transformer at a class that exposes nothing, so each object costs it
 * O(1) (arrays still cost a step per item), then `@Transform` puts the original value back.
 */
export const OpenJson = (): PropertyDecorator =>
  applyDecorators(
    Type(() => OpaqueJson),
    Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true }),
  );
