import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { readMessage } from '../../../test/fakes/mail-message.js';
import { FileMailer } from './file.mailer.js';

const FROM = 'API <no-reply@example.com>';

const message = (overrides: Partial<{ to: string; subject: string; text: string; id: string }> = {}) => ({
  to: 'ada@example.com',
  subject: 'Welcome, Ada',
  text: 'Hello Ada,\nthanks for signing up.',
  id: 'welcome-0190b7a4-7f00-7000-8000-000000000001',
  ...overrides,
});

describe('FileMailer', () => {
  let root: string;
  let directory: string;
  let mailer: FileMailer;
  let log: jest.SpiedFunction<Logger['log']>;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'file-mailer-'));
    // Not created yet: the mailer makes it.
    directory = join(root, 'data', 'mail');
    mailer = new FileMailer({ smtpUrl: undefined, from: FROM, directory });
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  it('writes <dir>/<id>.eml, creating the directory', async () => {
    await mailer.send(message());

    expect(await readdir(directory)).toEqual(['welcome-0190b7a4-7f00-7000-8000-000000000001.eml']);
  });

  it('writes a real RFC 5322 message with the sender, recipient, subject, Message-ID and text', async () => {
    await mailer.send(message());

    const raw = await readFile(join(directory, 'welcome-0190b7a4-7f00-7000-8000-000000000001.eml'), 'utf8');
    const { headers, body } = readMessage(raw);
    expect(headers.get('from')).toBe(FROM);
    expect(headers.get('to')).toBe('ada@example.com');
    expect(headers.get('subject')).toBe('Welcome, Ada');
    expect(headers.get('message-id')).toBe('<welcome-0190b7a4-7f00-7000-8000-000000000001@example.com>');
    expect(headers.get('mime-version')).toBe('1.0');
    expect(Number.isNaN(Date.parse(headers.get('date') ?? ''))).toBe(false);
    expect(body.trim()).toBe('Hello Ada,\nthanks for signing up.');
  });

  it('encodes a subject that is not ASCII (RFC 2047) instead of writing raw bytes in the header', async () => {
    await mailer.send(message({ subject: 'Bienvenue, Zoë' }));

    const raw = await readFile(join(directory, `${message().id}.eml`), 'utf8');
    expect(readMessage(raw).headers.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?.+\?=$/i);
  });

  it('overwrites the file when the same message is sent again (a retried task)', async () => {
    await mailer.send(message({ text: 'first try' }));
    await mailer.send(message({ text: 'second try' }));

    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(readMessage(await readFile(join(directory, files[0]), 'utf8')).body.trim()).toBe('second try');
  });

  it('keeps one file per message id', async () => {
    await mailer.send(message({ id: 'welcome-a' }));
    await mailer.send(message({ id: 'welcome-b' }));

    expect((await readdir(directory)).sort()).toEqual(['welcome-a.eml', 'welcome-b.eml']);
  });

  it('makes an id with odd characters safe as a file name inside the directory', async () => {
    await mailer.send(message({ id: '../../escape me/now:\\x' }));

    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[\w.-]+\.eml$/);
    expect(await readdir(root)).toEqual(['data']);
    expect(await readdir(join(root, 'data'))).toEqual(['mail']);
  });

  it('logs where the message was written, by its id and never by the address', async () => {
    await mailer.send(message());

    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ mailId: message().id, file: join(directory, `${message().id}.eml`) }),
      expect.stringContaining(directory),
    );
    expect(JSON.stringify(log.mock.calls)).not.toContain('ada@example.com');
  });
});
