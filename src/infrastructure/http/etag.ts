import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';

/** The `ETag` response header, for `@ApiOkResponse({ headers })`. */
export const ETAG_RESPONSE_HEADER = {
  ETag: { description: 'The resource version, for If-Match and If-None-Match', schema: { type: 'string' } },
};

/** The strong ETag of a resource at a version: `"3"`. Same for every representation of it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for: `undefined` when there is no condition (header
 * absent, or `*`, which any existing resource satisfies). Anything else than one strong
 * ETag made by `etagOf` can never match (RFC 9110 compares If-Match strongly), so it fails
 * the precondition right here.
 */
export function expectedVersionFrom(ifMatch: string | undefined): number | undefined {
  const value = ifMatch?.trim();
  if (value === undefined || value === '*') return undefined;
  const version = /^"(\d{1,9})"$/.exec(value)?.[1];
  if (version === undefined)
    throw new ProblemException(
      HttpStatus.PRECONDITION_FAILED,
      'HTTP.PRECONDITION_FAILED',
      `If-Match must be '*' or one strong ETag from a previous response, such as "3"; got ${value}`,
    );
  return Number(version);
}
