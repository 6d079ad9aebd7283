/** Assertions on RFC 9457 problem responses, for any e2e test. */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { field: string; messages: string[] }[];
}

export const PROBLEM_CONTENT_TYPE = /^application\/problem\+json/;

/**
 * Asserts that `res` is an RFC 9457 problem with this status and code, carrying the request id
 * of the response, and returns it. The body is part of the failure message when the status is off.
 */
export async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  const text = await res.text();
  expect({ status: res.status, text }).toEqual({ status, text: expect.any(String) });
  expect(res.headers.get('content-type')).toMatch(PROBLEM_CONTENT_TYPE);
  const problem = JSON.parse(text) as Problem;
  expect(problem).toMatchObject({ status, code, requestId: res.headers.get('x-request-id') });
  return problem;
}

/** Asserts a 400 HTTP.VALIDATION_FAILED problem whose `errors` name exactly `fields`. */
export async function expectValidationProblem(res: Response, fields: string[]): Promise<Problem> {
  const problem = await expectProblem(res, 400, 'HTTP.VALIDATION_FAILED');
  expect(problem.type).toBe('/problems/validation-failed');
  expect(fieldsOf(problem)).toEqual([...fields].sort());
  for (const error of problem.errors ?? []) expect(error.messages.length).toBeGreaterThan(0);
  return problem;
}

/** The fields a validation problem names, sorted. */
export function fieldsOf(problem: Problem): string[] {
  return (problem.errors ?? []).map((error) => error.field).sort();
}
