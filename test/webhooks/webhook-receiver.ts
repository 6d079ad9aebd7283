import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { readJson } from '../helpers/http.js';
import type { TestApp } from '../helpers/test-app.js';
import { waitUntil } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV, type TaskJson, type TasksApi, isFinished } from '../tasks/tasks-api.js';

/** A Standard Webhooks secret known to the test, so signatures can be checked with the reference library. */
export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** App environment for delivery tests: the receiver runs on 127.0.0.1, so private targets must be allowed. */
export const WEBHOOK_TEST_ENV = { ...TASKS_TEST_ENV, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_SECRET };

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

  /** `host:port` as the app names the circuit of this receiver. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  url(path = '/hook'): string {
    return `http://${this.host}${path}`;
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

/** Submits a `webhooks.deliver` task and waits until it is finished. */
export async function deliver(api: TasksApi, url: string, body: unknown, maxAttempts?: number): Promise<TaskJson> {
  const task = await api.create({ type: 'webhooks.deliver', payload: { url, body }, maxAttempts });
  return api.waitFor(task.id, isFinished);
}

/** The `circuits` check of `/health/ready`, which must stay 200 whatever the circuits. */
export async function circuitsCheck(t: TestApp): Promise<Record<string, unknown>> {
  const ready = await readJson<{ checks: { circuits: Record<string, unknown> } }>(
    await fetch(`${t.url}/health/ready`),
    200,
  );
  return ready.checks.circuits;
}
