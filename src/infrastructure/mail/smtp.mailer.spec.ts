import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { freePort } from '../../../test/helpers/free-port.js';
import { type ReadMessage, readMessage } from '../../../test/fakes/mail-message.js';
import { CircuitOpenError, PermanentError, TransientError } from '../resilience/resilience.errors.js';
import { ResilienceService } from '../resilience/resilience.service.js';
import { SmtpMailer } from './smtp.mailer.js';

const FROM = 'API <no-reply@example.com>';
const message = { to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello Ada.', id: 'welcome-42' };

interface Received extends ReadMessage {
  mailFrom: string | false;
  rcptTo: string[];
}

/** What the in-process server does with the next transactions: accept, or answer an SMTP error. */
type Behaviour = { reply: 'accept' | 'stall' } | { reply: 'reject-rcpt' | 'reject-data'; code: number };

function smtpError(code: number): Error {
  return Object.assign(new Error(`${code} not now`), { responseCode: code });
}

async function startServer() {
  const state = {
    behaviour: { reply: 'accept' } as Behaviour,
    connections: 0,
    received: [] as Received[],
    /** Answers held back by 'stall', released after each test so the server can close. */
    stalled: [] as (() => void)[],
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onRcptTo(_address, _session, callback) {
      const { behaviour } = state;
      callback(behaviour.reply === 'reject-rcpt' ? smtpError(behaviour.code) : null);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { behaviour } = state;
        if (behaviour.reply === 'reject-data') return callback(smtpError(behaviour.code));
        if (behaviour.reply === 'stall') return void state.stalled.push(() => callback(smtpError(421)));
        state.received.push({
          ...readMessage(Buffer.concat(chunks).toString('utf8')),
          mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, state, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function resilience(threshold = 5, timeoutMs = 5000) {
  return new ResilienceService({
    retry: { baseDelayMs: 100, maxDelayMs: 1000 },
    timeoutMs,
    breaker: { threshold, cooldownMs: 60_000 },
  });
}

const mailerFor = (port: number, policy: ResilienceService) =>
  new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, directory: '' }, policy);

describe('SmtpMailer', () => {
  let smtp: Awaited<ReturnType<typeof startServer>>;
  let mailer: SmtpMailer | undefined;

  beforeAll(async () => {
    smtp = await startServer();
  });
  afterAll(() => smtp.close());
  beforeEach(() => {
    smtp.state.behaviour = { reply: 'accept' };
    smtp.state.received.length = 0;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    mailer?.onModuleDestroy();
    mailer = undefined;
    for (const release of smtp.state.stalled.splice(0)) release();
    jest.restoreAllMocks();
  });

  it('delivers the message with its envelope, headers and body', async () => {
    mailer = mailerFor(smtp.port, resilience());

    await mailer.send(message);

    expect(smtp.state.received).toHaveLength(1);
    const [received] = smtp.state.received;
    expect(received.mailFrom).toBe('no-reply@example.com');
    expect(received.rcptTo).toEqual(['ada@example.com']);
    expect(received.headers.get('from')).toBe(FROM);
    expect(received.headers.get('to')).toBe('ada@example.com');
    expect(received.headers.get('subject')).toBe('Welcome, Ada');
    expect(received.headers.get('message-id')).toBe('<welcome-42@example.com>');
    expect(received.body.trim()).toBe('Hello Ada.');
  });

  it.each([
    ['RCPT TO', 'reject-rcpt'],
    ['DATA', 'reject-data'],
  ] as const)('turns a 451 answer to %s into a TransientError', async (_, reply) => {
    smtp.state.behaviour = { reply, code: 451 };
    mailer = mailerFor(smtp.port, resilience());

    const sending = mailer.send(message);

    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toMatchObject({ code: 'MAIL.SMTP_TEMPORARY' });
    expect(smtp.state.received).toEqual([]);
  });

  it.each([
    ['RCPT TO', 'reject-rcpt'],
    ['DATA', 'reject-data'],
  ] as const)('turns a 550 answer to %s into a PermanentError', async (_, reply) => {
    smtp.state.behaviour = { reply, code: 550 };
    mailer = mailerFor(smtp.port, resilience());

    const sending = mailer.send(message);

    await expect(sending).rejects.toBeInstanceOf(PermanentError);
    await expect(sending).rejects.toMatchObject({ code: 'MAIL.SMTP_REJECTED' });
  });

  it('does not hold a rejected recipient against the server: 5xx answers leave the circuit closed', async () => {
    smtp.state.behaviour = { reply: 'reject-rcpt', code: 550 };
    const policy = resilience(2);
    mailer = mailerFor(smtp.port, policy);

    for (let i = 0; i < 3; i++) await expect(mailer.send(message)).rejects.toBeInstanceOf(PermanentError);

    expect(policy.circuitState('smtp')).toBe('closed');
  });

  it('fails transiently when nothing listens on the port', async () => {
    mailer = mailerFor(await freePort(), resilience());

    const sending = mailer.send(message);

    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toMatchObject({ code: 'MAIL.SMTP_TEMPORARY' });
  });

  it('gives up on a server that does not answer within the time limit, as a transient timeout', async () => {
    smtp.state.behaviour = { reply: 'stall' };
    mailer = mailerFor(smtp.port, resilience(5, 300));

    const sending = mailer.send(message);

    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toMatchObject({ code: 'RESILIENCE.TIMEOUT' });
  });

  it('opens the "smtp" circuit after threshold failures, then fails fast without connecting', async () => {
    smtp.state.behaviour = { reply: 'reject-data', code: 451 };
    const policy = resilience(2);
    mailer = mailerFor(smtp.port, policy);
    for (let i = 0; i < 2; i++) await expect(mailer.send(message)).rejects.toBeInstanceOf(TransientError);
    expect(policy.circuitState('smtp')).toBe('open');
    const connections = smtp.state.connections;
    smtp.state.behaviour = { reply: 'accept' };

    const sending = mailer.send(message);

    await expect(sending).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(sending).rejects.toMatchObject({ code: 'RESILIENCE.CIRCUIT_OPEN', key: 'smtp' });
    expect(smtp.state.connections).toBe(connections);
    expect(smtp.state.received).toEqual([]);
  });
});
