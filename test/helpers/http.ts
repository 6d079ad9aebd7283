/** Shared pieces of the e2e tests that call the app's HTTP API. */

/** A UUID version 7 (version nibble 7, RFC 9562 variant), in lower case. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A valid UUID that no test ever creates. */
export const UNKNOWN_ID = '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0';

/** The JSON body of `res`, after checking its status (the body is in the failure message). */
export async function readJson<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect({ status: res.status, text }).toEqual({ status, text: expect.any(String) });
  return JSON.parse(text) as T;
}
