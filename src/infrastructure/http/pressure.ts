import underPressure from '@fastify/under-pressure';
import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from './problem.exception.js';

export interface PressureLimits {
  /** Mean event-loop delay over the last second, ms; 0: not checked. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use, bytes; 0: not checked. */
  maxHeapUsedBytes: number;
  /** Resident set size, bytes; 0: not checked. */
  maxRssBytes: number;
  /** What the 503 asks the client to wait, in seconds. */
  retryAfterS: number;
}

/** What readiness reports about the load on this process. */
export interface PressureState {
  underPressure: boolean;
  /** Null before the first measure (see {@link pressureState}). */
  eventLoopDelayMs: number | null;
  heapUsedBytes: number;
  rssBytes: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    loadPressure?: () => PressureState;
  }
}

/**
 * Probes (and the admin's health details) answer under pressure: an orchestrator that could
 * not reach `/health/live` would restart a process that is only busy, and readiness is how it
 * learns to send the traffic elsewhere.
 */
const isProbe = (request: FastifyRequest) => request.routeOptions.url?.startsWith('/health/') === true;

/**
 * `@fastify/under-pressure`: every second it samples the event-loop delay, the heap and the
 * RSS; past a limit, each new request (probes aside) is refused with a 503 problem and
 * `Retry-After` before any work is done for it, rather than queueing behind the backlog.
 * Below the limits it costs a few comparisons per request.
 */
export async function shedLoadUnderPressure(fastify: FastifyInstance, limits: PressureLimits): Promise<void> {
  const overloaded = () =>
    new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'HTTP.OVERLOADED',
      'The server is overloaded; retry later',
      {},
      { 'retry-after': String(limits.retryAfterS) },
    );
  await fastify.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    maxHeapUsedBytes: limits.maxHeapUsedBytes,
    maxRssBytes: limits.maxRssBytes,
    retryAfter: limits.retryAfterS,
    // under-pressure only calls this past one of its limits; pressureState has the last word.
    // A rejected promise reaches Fastify's error handler, so the Nest filter writes the problem.
    pressureHandler: (request) =>
      isProbe(request) || !pressureState(fastify.memoryUsage(), limits).underPressure
        ? undefined
        : Promise.reject(overloaded()),
  });
  fastify.decorate('loadPressure', () => pressureState(fastify.memoryUsage(), limits));
}

/** A limit of 0 is not checked. */
const over = (value: number, limit: number) => limit > 0 && value > limit;

/**
 * under-pressure's figures against the limits. A delay it could not measure (no tick of its
 * histogram since the monitor started: the loop was busy for the whole first second, as when
 * the app boots) it reports as Infinity and counts as pressure; here it is no pressure, or
 * every process would refuse its first requests after a slow start.
 */
export function pressureState(
  { eventLoopDelay, heapUsed, rssBytes }: ReturnType<FastifyInstance['memoryUsage']>,
  limits: PressureLimits,
): PressureState {
  const measured = Number.isFinite(eventLoopDelay);
  return {
    underPressure:
      (measured && over(eventLoopDelay, limits.maxEventLoopDelayMs)) ||
      over(heapUsed, limits.maxHeapUsedBytes) ||
      over(rssBytes, limits.maxRssBytes),
    eventLoopDelayMs: measured ? Math.round(eventLoopDelay) : null,
    heapUsedBytes: heapUsed,
    rssBytes,
  };
}

/** The load on the process as under-pressure last sampled it; undefined where it is not registered. */
export function pressureOf(fastify: FastifyInstance | undefined): PressureState | undefined {
  return fastify?.loadPressure?.();
}
