import { isRedisUnavailable } from './redis-errors.js';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('isRedisUnavailable', () => {
  it.each([
    [
      'ioredis giving up after its reconnect attempts',
      named(
        'MaxRetriesPerRequestError',
        'Reached the max retries per request limit (which is 2). Refer to "maxRetriesPerRequest" option for details.',
      ),
    ],
    ['a closed connection', new Error('Connection is closed.')],
    ['a client without an offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    [
      'a server loading its data after a restart',
      named('ReplyError', 'LOADING Redis is loading the dataset in memory'),
    ],
    ['a replica without its primary', named('ReplyError', 'MASTERDOWN Link with MASTER is down')],
  ])('is true for %s', (_, error) => {
    expect(isRedisUnavailable(error)).toBe(true);
  });

  it.each([
    ['a wrong type', named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['an unknown script', named('ReplyError', 'NOSCRIPT No matching script. Please use EVAL.')],
    ['a plain error', new Error('something else')],
  ])('is false for %s', (_, error) => {
    expect(isRedisUnavailable(error)).toBe(false);
  });
});
