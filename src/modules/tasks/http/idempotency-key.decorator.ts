import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationException } from '../../../infrastructure/http/validation.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Visible ASCII, 1 to 255 characters (a UUID is the usual choice). */
const WELL_FORMED = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent is fine, malformed (or repeated) is a 400 naming the header. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (value === undefined || (typeof value === 'string' && WELL_FORMED.test(value))) return value;
  throw new RequestValidationException([
    {
      field: IDEMPOTENCY_KEY_HEADER,
      messages: [`${IDEMPOTENCY_KEY_HEADER} must be one value of 1 to 255 visible ASCII characters`],
    },
  ]);
});
