import { HttpException } from '@nestjs/common';
import { TimeoutError } from '../../shared/with-timeout.js';
import {
  DependencyUnavailableError,
  asDependencyUnavailable,
  setDependencyRetryAfter,
  withDeadline,
} from './dependency-unavailable.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('DependencyUnavailableError', () => {
  afterEach(() => setDependencyRetryAfter(5));

  it('is a 503 problem with Retry-After from DEPENDENCY_RETRY_AFTER_S, naming no dependency to the client', () => {
    setDependencyRetryAfter(7);
    const error = new DependencyUnavailableError('database', refused());

    expect(error).toBeInstanceOf(HttpException);
    expect(error.getStatus()).toBe(503);
    expect(error.code).toBe('HTTP.DEPENDENCY_UNAVAILABLE');
    expect(error.headers).toEqual({ 'retry-after': '7' });
    expect(error.message).not.toMatch(/database|6379|ECONNREFUSED/);
    expect(error.dependency).toBe('database');
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('asDependencyUnavailable', () => {
  it('names Redis for ioredis errors and the database for node-postgres ones', () => {
    expect(asDependencyUnavailable(new Error('Connection is closed.'))?.dependency).toBe('redis');
    expect(asDependencyUnavailable(new Error('Connection terminated unexpectedly'))?.dependency).toBe('database');
  });

  it('takes the name the caller gives', () => {
    expect(asDependencyUnavailable(refused(), 'rate-limit store')?.dependency).toBe('rate-limit store');
  });

  it('keeps an error that already is one, and leaves other failures alone', () => {
    const unavailable = new DependencyUnavailableError('queue');
    expect(asDependencyUnavailable(unavailable)).toBe(unavailable);
    expect(asDependencyUnavailable(new Error('duplicate key'))).toBeUndefined();
    expect(asDependencyUnavailable(new TimeoutError(10))).toBeUndefined();
  });
});

describe('withDeadline', () => {
  it('gives up on work that outlasts the deadline', async () => {
    const never = new Promise<never>(() => undefined);

    const error = await withDeadline(never, 20, 'queue').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'queue', cause: expect.any(TimeoutError) });
  });

  it('turns a connection failure into DependencyUnavailableError, and passes other failures through', async () => {
    await expect(withDeadline(Promise.reject(refused()), 1000, 'queue')).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    const other = new Error('Missing key for job 1');
    await expect(withDeadline(Promise.reject(other), 1000, 'queue')).rejects.toBe(other);
  });

  it('answers what the work answers in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'queue')).resolves.toBe(42);
  });
});
