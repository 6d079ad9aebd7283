import { QueryFailedError } from 'typeorm';
import { redactedUrl, serializeError } from './log-redaction.js';

describe('redactedUrl', () => {
  it.each([
    ['/v1/users', '/v1/users'],
    ['/v1/users?email=ada%40example.com', '/v1/users?email=[REDACTED]'],
    ['/v2/users?q=lovelace&limit=10&cursor=abc', '/v2/users?q=[REDACTED]&limit=10&cursor=abc'],
    ['/v1/things?token=secret&access_token=secret2', '/v1/things?token=[REDACTED]&access_token=[REDACTED]'],
    ['/v1/tasks?status=queued&type=x', '/v1/tasks?status=queued&type=x'],
    ['/v1/things?flag&x=', '/v1/things?flag&x=[REDACTED]'],
    ['/v1/things?ada@example.com', '/v1/things?[REDACTED]'],
    ['/v1/things?', '/v1/things?'],
  ])('%s -> %s', (url, logged) => {
    expect(redactedUrl(url)).toBe(logged);
  });
});

/** A pg DatabaseError as the driver makes it: an Error with the server's fields. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', ...fields });
}

describe('serializeError', () => {
  it('drops the parameters and the detail of a unique violation, at the top and in driverError', () => {
    const driver = driverError('duplicate key value violates unique constraint "users_email_key"', {
      code: '23505',
      detail: 'Key (email)=(ada@example.com) already exists.',
      constraint: 'users_email_key',
      table: 'users',
    });
    const error = new QueryFailedError('INSERT INTO users (email) VALUES ($1)', ['ada@example.com'], driver);

    const logged = serializeError(error) as Record<string, unknown>;

    expect(JSON.stringify(logged)).not.toContain('ada@example.com');
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "users_email_key"',
      query: 'INSERT INTO users (email) VALUES ($1)',
      code: '23505',
      constraint: 'users_email_key',
      driverError: { code: '23505', constraint: 'users_email_key', table: 'users' },
    });
    expect(logged).not.toHaveProperty('parameters');
    expect(logged).not.toHaveProperty('detail');
  });

  it('blanks the value a data exception quotes in its message and stack', () => {
    const driver = driverError('invalid input syntax for type uuid: "ada@example.com"', {
      code: '22P02',
      where: "unnamed portal parameter $1 = '...'",
    });
    const error = new QueryFailedError('SELECT 1 FROM users WHERE id = $1', ['ada@example.com'], driver);

    const text = JSON.stringify(serializeError(error));

    expect(text).not.toContain('ada@example.com');
    expect(text).toContain('invalid input syntax for type uuid: \\"[REDACTED]\\"');
    expect(text).not.toContain('unnamed portal');
  });

  it('leaves other errors alone, their detail included', () => {
    const error = Object.assign(new Error('boom'), { detail: 'what went wrong', code: 'X' });
    expect(serializeError(error)).toMatchObject({ type: 'Error', message: 'boom', detail: 'what went wrong' });
  });
});
