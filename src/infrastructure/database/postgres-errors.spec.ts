import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './postgres-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'a server shut down by an administrator (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a server still starting (57P03)', withCode('the database system is starting up', '57P03')],
    [
      'a server shutting down after a crash (57P02)',
      withCode('terminating connection because of crash of another server process', '57P02'),
    ],
    ['no connection slot left (53300)', withCode('sorry, too many clients already', '53300')],
    ['a connection failure (class 08)', withCode('connection failure', '08006')],
    [
      'a statement cancelled by statement_timeout (57014)',
      withCode('canceling statement due to statement timeout', '57014'),
    ],
    ['a connection that ended under the query', new Error('Connection terminated unexpectedly')],
    ['the pool waiting longer than connectionTimeoutMillis', new Error('timeout exceeded when trying to connect')],
    ['the client waiting longer than query_timeout', new Error('Query read timeout')],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
  ])('is true for %s, bare or inside a QueryFailedError', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(error))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint "users_email_key"', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['an invalid uuid', withCode('invalid input syntax for type uuid: "x"', '22P02')],
    ['a plain error', new Error('something else')],
  ])('is false for %s: the statement was wrong, not the server away', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(failedQuery(error))).toBe(false);
  });

  it('is false for what is not an error', () => {
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
