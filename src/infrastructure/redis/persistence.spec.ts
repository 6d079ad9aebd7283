import type { Redis } from 'ioredis';
import { redisPersistence } from './persistence.js';

/** A client answering CONFIG GET from `settings` the way a server would. */
const serverWith = (settings: Record<string, string>) =>
  ({ config: async (_: string, name: string) => (name in settings ? [name, settings[name]] : []) }) as unknown as Pick<
    Redis,
    'config'
  >;

describe('redisPersistence', () => {
  it.each([
    [{ appendonly: 'yes', save: '' }, 'aof'],
    [{ appendonly: 'yes', save: '3600 1' }, 'aof'],
    [{ appendonly: 'no', save: '3600 1 300 100 60 10000' }, 'rdb'],
    [{ appendonly: 'no', save: '' }, 'none'],
    [{ appendonly: 'no', save: ' ' }, 'none'],
  ])('reads %j as %s', async (settings, expected) => {
    expect(await redisPersistence(serverWith(settings))).toBe(expected);
  });

  it('answers unknown when CONFIG is refused, unreported, or unanswered', async () => {
    const refusing = {
      config: async () => {
        throw new Error("NOPERM this user has no permissions to run the 'config|get' command");
      },
    } as unknown as Pick<Redis, 'config'>;
    const silent = { config: () => new Promise(() => undefined) } as unknown as Pick<Redis, 'config'>;

    expect(await redisPersistence(refusing)).toBe('unknown');
    expect(await redisPersistence(serverWith({ appendonly: 'no' }))).toBe('unknown');
    expect(await redisPersistence(silent, 20)).toBe('unknown');
  });
});
