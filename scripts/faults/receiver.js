import { createServer } from 'node:http';

/**
 * The webhook endpoint the deliveries go to: answers 204 to every POST and counts them by
 * `webhook-id` (`msg_<task id>`, the same for every attempt of a task). It can go away (the
 * port refuses connections) and come back on the same port.
 */
export class WebhookReceiver {
  /** @type {Map<string, number>} webhook-id -> deliveries answered 2xx */
  deliveries = new Map();
  /** @type {number[]} When each delivery arrived (epoch ms). */
  arrivals = [];
  /** @type {import('node:http').Server} */ #server;

  /** @param {number} port */
  constructor(port) {
    this.port = port;
    this.#server = this.#create();
  }

  static async start() {
    const receiver = new WebhookReceiver(0);
    await receiver.#listen();
    return receiver;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Closes the port and every open connection: deliveries meanwhile get ECONNREFUSED. */
  stop() {
    const server = this.#server;
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve(undefined)));
  }

  async resume() {
    this.#server = this.#create();
    await this.#listen();
  }

  /** @param {string} id */
  delivered(id) {
    return (this.deliveries.get(id) ?? 0) > 0;
  }

  /** Deliveries beyond the first of each webhook-id. */
  get duplicates() {
    let extra = 0;
    for (const count of this.deliveries.values()) extra += Math.max(0, count - 1);
    return extra;
  }

  #create() {
    return createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const id = request.headers['webhook-id'];
        if (typeof id === 'string') {
          this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
          this.arrivals.push(Date.now());
        }
        response.writeHead(204).end();
      });
    });
  }

  #listen() {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.port, '127.0.0.1', () => {
        const address = this.#server.address();
        if (typeof address === 'object' && address) this.port = address.port;
        resolve(undefined);
      });
    });
  }
}
