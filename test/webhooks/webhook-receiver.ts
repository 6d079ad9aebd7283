import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type AuthSession, signUp } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import type { TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV, type TaskJson, type TasksApi, isFinished, tasksApi } from '../tasks/tasks-api.js';

/**
 * App environment for delivery tests: the receiver runs on 127.0.0.1 over plain http, so
 * private targets must be allowed and https not required.
 */
export const WEBHOOK_TEST_ENV = {
  ...TASKS_TEST_ENV,
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_REQUIRE_HTTPS: 'false',
};

export interface ReceivedRequest {
  /** `performance.now()` when the request's headers arrived. */
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client closed the connection before any answer (an aborted or timed-out call). */
  abandoned: boolean;
}

/** How the receiver answers one request; `hang` never answers (the connection stays open). */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTP server on loopback that records every request and answers from a scripted
 * sequence, then with a fallback answer once the sequence is used up.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private script: Answer[] = [];
  private fallback: Answer = { status: 200 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `listen` `::` accepts IPv4 and IPv6 loopback alike (127.0.0.1, [::1], localhost). */
  static async start(listen = '127.0.0.1'): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, listen, resolve);
    });
    const receiver = new WebhookReceiver(server, (server.address() as { port: number }).port);
    server.on('request', (request, response) => {
      const at = performance.now();
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { method = '', url = '', headers } = request;
        const received = { at, method, path: url, headers, body: Buffer.concat(chunks).toString(), abandoned: false };
        receiver.requests.push(received);
        response.on('close', () => (received.abandoned = !response.writableFinished));
        respond(response, receiver.script.shift() ?? receiver.fallback);
      });
    });
    return receiver;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The circuit of this receiver's address, as the app names it (every loopback spelling alike). */
  get addressCircuit(): string {
    return `webhook-address:loopback:${this.port}`;
  }

  url(path = '/hook', host = this.host): string {
    return `http://${host}${path}`;
  }

  /** Answers the next requests with `sequence`, then every later one with `fallback`. */
  answer(sequence: Answer[], fallback: Answer = { status: 200 }): this {
    this.script = [...sequence];
    this.fallback = fallback;
    return this;
  }

  async waitForRequests(count: number): Promise<ReceivedRequest[]> {
    await waitUntil(() => this.requests.length >= count, `the receiver got ${count} request(s)`);
    return this.requests;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function respond(response: ServerResponse, answer: Answer): void {
  if (answer === 'hang') return;
  response.writeHead(answer.status, answer.headers).end();
}

/** A registered endpoint as `POST /v1/webhooks/endpoints` answers it (the secret shown once). */
export interface EndpointJson {
  id: string;
  ownerId: string;
  url: string;
  description: string;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

/** A signed-up account whose email counts as verified (outbound task types need one), set in the database. */
export async function verifiedSession(t: TestApp): Promise<AuthSession> {
  const session = await signUp(t.url);
  await withClient(t.databaseUrl, (db) =>
    db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [session.userId]),
  );
  return session;
}

/** Small client for `/v1/webhooks/endpoints` and webhook tasks, as one signed-in user. */
export function webhooksApi(baseUrl: string, session: AuthSession) {
  const call = (method: string, path: string, json?: unknown) =>
    fetch(`${baseUrl}/v1/webhooks/endpoints${path}`, {
      method,
      headers: json === undefined ? session.headers : { ...session.headers, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  return {
    session,
    tasks: tasksApi(baseUrl, session.headers),
    call,
    /** POST expecting 201; resolves with the endpoint and its secret. */
    async register(url: string, description = 'test receiver'): Promise<EndpointJson & { secret: string }> {
      const res = await call('POST', '', { url, description });
      if (res.status !== 201)
        throw new Error(`POST /v1/webhooks/endpoints answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as EndpointJson & { secret: string };
    },
    get: (id: string) => call('GET', `/${id}`),
    list: (query = '') => call('GET', query ? `?${query}` : ''),
    rotate: (id: string) => call('POST', `/${id}/rotate-secret`),
    remove: (id: string) => call('DELETE', `/${id}`),
  };
}

export type WebhooksApi = ReturnType<typeof webhooksApi>;

/** A verified account of `t` and its webhooks client. */
export async function signedInWebhooksApi(t: TestApp): Promise<WebhooksApi> {
  return webhooksApi(t.url, await verifiedSession(t));
}

/** Submits a `webhooks.deliver` task to `endpointId` and waits until it is finished. */
export async function deliver(
  api: TasksApi,
  endpointId: string,
  payload: unknown,
  maxAttempts?: number,
  eventType = 'test.event',
): Promise<TaskJson> {
  const task = await api.create({ type: 'webhooks.deliver', payload: { endpointId, eventType, payload }, maxAttempts });
  return api.waitFor(task.id, isFinished);
}

/** The headers of a received request as the Standard Webhooks library takes them. */
export const headerRecord = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

/** The `circuits` check of `/health/ready`, which must stay 200 whatever the circuits. */
export async function circuitsCheck(t: TestApp): Promise<Record<string, unknown>> {
  const ready = await readJson<{ checks: { circuits: Record<string, unknown> } }>(
    await fetch(`${t.url}/health/ready`),
    200,
  );
  return ready.checks.circuits;
}
