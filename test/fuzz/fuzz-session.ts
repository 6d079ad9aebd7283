import type { AccessCase, AccessContext } from '../access/access-case.js';
import { adminSession, type AuthSession, bearer, signUp } from '../helpers/auth.js';
import { withClient } from '../helpers/test-database.js';
import { send, type WireRequest, type WireResponse } from './fuzz-http.js';
import {
  bodyOnTheWire,
  type Caller,
  type GeneratedPlan,
  isRowPlan,
  onTheWire,
  type RequestPlan,
  type RowPlan,
} from './request-plan.js';
import type { OpenApiDocument, Operation } from './schema-arbitrary.js';

/** One operation of the document, with the access-matrix row that knows how to reach its objects. */
export interface FuzzOperation {
  /** `POST /v1/tasks/{id}/cancel`, as the document names it. */
  key: string;
  method: string;
  template: string;
  operation: Operation;
  row: AccessCase;
  /** Who calls it normally (its `x-access-policy`), and which row expectation that caller has. */
  usual: { caller: Caller; row: RowPlan['row'] };
}

/** Slower than this is a failure, whatever the answer. */
export const MAX_ANSWER_MS = 2_000;

/** Every operation of the document, each paired with its access-matrix row (a missing row throws). */
export function fuzzOperations(document: OpenApiDocument, rows: AccessCase[]): FuzzOperation[] {
  return Object.entries(document.paths).flatMap(([template, byMethod]) =>
    Object.entries(byMethod).map(([verb, operation]) => {
      const method = verb.toUpperCase();
      const route = `${method} ${template.replace(/\{(\w+)\}/g, ':$1')}`;
      const row = rows.find((candidate) => candidate.route === route);
      if (!row) throw new Error(`${route} has no access-matrix row: the fuzzer takes its objects' ids from it`);
      const policy = operation['x-access-policy'];
      const usual: FuzzOperation['usual'] =
        policy === 'public'
          ? { caller: 'anonymous', row: 'anonymous' }
          : policy === 'role:admin'
            ? { caller: 'admin', row: 'admin' }
            : { caller: 'user', row: 'owner' };
      return { key: `${method} ${template}`, method, template, operation, row, usual };
    }),
  );
}

type PrincipalKind = 'user' | 'admin' | 'victim';

/**
 * Runs request plans against one app and judges each answer. The signed-in principals live
 * across runs, and are replaced when a run ended them (logout, a deleted account, a role
 * change, a refresh token replayed): every request that is not a GET is followed by a
 * `GET /v1/auth/me` per principal. `victim` is the user that admin-only operations act on, so
 * an admin never demotes or deletes itself through its own id.
 */
export class FuzzSession {
  private readonly principals = new Map<PrincipalKind, Promise<AuthSession>>();

  constructor(private readonly api: { url: string; databaseUrl: string }) {}

  async run(operation: FuzzOperation, plan: RequestPlan): Promise<void> {
    const { wire, expected } = isRowPlan(plan)
      ? await this.fromRow(operation, plan)
      : { wire: await this.generated(operation, plan), expected: undefined };
    try {
      const response = await send(this.api.url, wire).catch((error: Error) => {
        throw new Error(`${describe(wire)}\n  -> no answer: ${error.message}`);
      });
      const fault = faultOf(response, expected);
      if (fault) throw new Error(`${describe(wire)}\n  -> ${fault}: ${answer(response)}`);
    } finally {
      if (operation.method !== 'GET') await this.forgetEnded();
    }
  }

  /** The row's request as the access matrix sends it, with a fresh owner, so its expectation holds. */
  private async fromRow(operation: FuzzOperation, plan: RowPlan): Promise<{ wire: WireRequest; expected: number }> {
    const owner = await this.verifiedUser();
    const admin = await this.principal('admin');
    const request = await operation.row.request(this.context(owner, admin));
    const caller = { anonymous: {}, owner: owner.headers, admin: admin.headers }[plan.row];
    const body = request.body === undefined ? undefined : bodyOnTheWire({ json: request.body });
    return {
      wire: {
        method: operation.method,
        path: request.path,
        headers: { ...(body && { 'content-type': body.contentType }), ...request.headers, ...caller },
        body: body?.bytes,
      },
      expected: operation.row.expect[plan.row],
    };
  }

  private async generated(operation: FuzzOperation, plan: GeneratedPlan): Promise<WireRequest> {
    const own = Object.values(plan.params).some((value) => 'own' in value) ? await this.ownIds(operation) : {};
    const path = operation.template.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = plan.params[name];
      if ('own' in value) return value.own === 'upper-case' ? own[name].toUpperCase() : own[name];
      return onTheWire(value);
    });
    const query = plan.query.map(([name, value]) => `${onTheWire({ text: name })}=${onTheWire(value)}`);
    const body = plan.body && bodyOnTheWire(plan.body);
    return {
      method: operation.method,
      path: query.length > 0 ? `${path}?${query.join('&')}` : path,
      headers: {
        ...plan.headers,
        ...(body && { 'content-type': body.contentType }),
        ...(await this.credentials(plan.caller)),
      },
      body: body?.bytes,
    };
  }

  /** Ids of objects the operation's usual owner has, read off the path the access row builds. */
  private async ownIds(operation: FuzzOperation): Promise<Record<string, string>> {
    const owner = await this.principal(operation.usual.caller === 'admin' ? 'victim' : 'user');
    const { path } = await operation.row.request(this.context(owner, await this.principal('admin')));
    const names = [...operation.template.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
    const pattern = new RegExp(
      `^${operation.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '([^/?]+)')}(?:\\?.*)?$`,
    );
    const values = pattern.exec(path)?.slice(1);
    if (!values) throw new Error(`the access row of ${operation.key} built the path ${path}`);
    return Object.fromEntries(names.map((name, index) => [name, values[index]]));
  }

  private async credentials(caller: Caller): Promise<Record<string, string>> {
    if (caller === 'anonymous') return {};
    if (typeof caller === 'object') return bearer(caller.token);
    return (await this.principal(caller)).headers;
  }

  private context(owner: AuthSession, admin: AuthSession): AccessContext {
    return { baseUrl: this.api.url, databaseUrl: this.api.databaseUrl, owner, admin };
  }

  private principal(kind: PrincipalKind): Promise<AuthSession> {
    let principal = this.principals.get(kind);
    if (!principal) {
      principal = kind === 'admin' ? adminSession(this.api.url, this.api.databaseUrl) : this.verifiedUser();
      this.principals.set(kind, principal);
    }
    return principal;
  }

  /** A new user whose email is verified, so outbound work (webhook tasks) is open to it. */
  private async verifiedUser(): Promise<AuthSession> {
    const user = await signUp(this.api.url);
    await withClient(this.api.databaseUrl, (db) =>
      db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [user.userId]),
    );
    return user;
  }

  private async forgetEnded(): Promise<void> {
    for (const [kind, principal] of this.principals) {
      const me = await fetch(`${this.api.url}/v1/auth/me`, { headers: (await principal).headers });
      await me.arrayBuffer();
      if (me.status !== 200) this.principals.delete(kind);
    }
  }
}

/** What is wrong with an answer, if anything. */
function faultOf(response: WireResponse, expected: number | undefined): string | undefined {
  if (response.status >= 500) return 'a server error';
  if (response.elapsedMs >= MAX_ANSWER_MS) return `slower than ${MAX_ANSWER_MS} ms`;
  if (expected !== undefined && response.status !== expected)
    return `the access-matrix request answered ${response.status}, its row expects ${expected}`;
  if (response.status < 400) return undefined;
  if (!response.contentType.startsWith('application/problem+json')) return 'a 4xx that is not application/problem+json';
  let problem: { status?: unknown };
  try {
    problem = JSON.parse(response.text) as { status?: unknown };
  } catch {
    return 'a problem+json body that is not JSON';
  }
  return problem.status === response.status ? undefined : `a problem whose status is ${String(problem.status)}`;
}

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;

/** The request, cut short, without the bearer token. */
function describe(wire: WireRequest): string {
  const headers = Object.fromEntries(
    Object.entries(wire.headers).map(([name, value]) => [
      name,
      name === 'authorization' ? cut(value, 20) : cut(value, 100),
    ]),
  );
  const body = wire.body ? JSON.stringify(cut(wire.body.toString('utf8'), 300)) : '(none)';
  return `${wire.method} ${cut(wire.path, 200)}\n  headers: ${JSON.stringify(headers)}\n  body: ${body}`;
}

const answer = (response: WireResponse) =>
  `${response.status} ${response.contentType || '(no content-type)'} in ${Math.round(response.elapsedMs)} ms: ${cut(response.text, 300)}`;
