import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuthSession } from '../helpers/auth.js';

/**
 * One row of the authorization matrix (OWASP API1 BOLA / API5 BFLA): a route as the router
 * knows it, the request to send, and the status each kind of caller must get.
 *
 * Each module keeps its rows next to its other tests, in `test/<module>/<module>.access.ts`
 * exporting `accessCases: AccessCase[]`; `test/access/access-matrix.e2e-spec.ts` gathers every
 * such file and fails when a route the router serves has no row (or a row names no route).
 */
export interface AccessCase {
  /** `METHOD /path` with the router's parameter names: `GET /v1/tasks/:id`. */
  route: string;
  /**
   * Builds the request against fresh objects belonging to `owner` (created through the API
   * with `owner`'s token, or by `admin` when only admins can create them). Called once per
   * caller kind, so a DELETE never meets an object a previous caller already removed.
   */
  request(context: AccessContext): Promise<AccessRequest>;
  /** The status for: no token, a signed-in user who is not the owner, the owner, an admin. */
  expect: { anonymous: number; other: number; owner: number; admin: number };
}

export interface AccessContext {
  baseUrl: string;
  databaseUrl: string;
  /** A fresh, email-verified user, made for this request. */
  owner: AuthSession;
  /** An admin, shared by all rows. */
  admin: AuthSession;
}

export interface AccessRequest {
  /** Path and query: `/v1/tasks/0190...`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const TEST_ROOT = join(import.meta.dirname, '..');

/** Every `test/<module>/*.access.ts` file's rows, by file (relative to `test/`), in file order. */
export async function loadAccessCases(): Promise<{ file: string; cases: AccessCase[] }[]> {
  const files = readdirSync(TEST_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(TEST_ROOT, dir.name))
        .filter((name) => name.endsWith('.access.ts'))
        .map((name) => join(dir.name, name)),
    )
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(pathToFileURL(join(TEST_ROOT, file)).href)) as { accessCases?: AccessCase[] };
      if (!Array.isArray(module.accessCases)) throw new Error(`${file} exports no accessCases array`);
      return { file, cases: module.accessCases };
    }),
  );
}
