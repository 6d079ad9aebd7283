import { HttpStatus } from '@nestjs/common';
import { etagOf, expectedVersionFrom } from './etag.js';
import { ProblemException } from './problem.exception.js';

function problemOf(ifMatch: string): ProblemException {
  try {
    expectedVersionFrom(ifMatch);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error(`expected If-Match ${ifMatch} to be refused`);
}

describe('etagOf', () => {
  it('is the strong, quoted version', () => {
    expect(etagOf(1)).toBe('"1"');
    expect(etagOf(42)).toBe('"42"');
  });
});

describe('expectedVersionFrom', () => {
  it('asks for no version when the header is absent', () => {
    expect(expectedVersionFrom(undefined)).toBeUndefined();
  });

  it.each(['*', ' * '])('asks for no version for the wildcard %j', (ifMatch) => {
    expect(expectedVersionFrom(ifMatch)).toBeUndefined();
  });

  it.each([
    ['"3"', 3],
    ['"0"', 0],
    [' "17" ', 17],
    ['"123456789"', 123456789],
  ])('reads the version of the strong ETag %s', (ifMatch, version) => {
    expect(expectedVersionFrom(ifMatch)).toBe(version);
  });

  it('reads back what etagOf makes', () => {
    expect(expectedVersionFrom(etagOf(7))).toBe(7);
  });

  it.each([
    ['a weak ETag', 'W/"3"'],
    ['an unquoted version', '3'],
    ['a list of ETags', '"3", "4"'],
    ['a list with the wildcard', '*, "3"'],
    ['a non-numeric ETag', '"abc"'],
    ['a negative version', '"-1"'],
    ['a half-quoted version', '"3'],
    ['a version of more than 9 digits', '"1234567890"'],
  ])('fails the precondition (412) for %s', (_, ifMatch) => {
    const problem = problemOf(ifMatch);

    expect(problem.getStatus()).toBe(HttpStatus.PRECONDITION_FAILED);
    expect(problem.code).toBe('HTTP.PRECONDITION_FAILED');
    expect(problem.message).toContain(ifMatch.trim());
  });
});
