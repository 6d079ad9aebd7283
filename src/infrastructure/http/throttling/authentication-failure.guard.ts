import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessPolicyOf } from '../../auth/access-policy.js';
import { addressKey } from './client-address.js';
import { RateLimitBudgets } from './rate-limit.budgets.js';
import { RateLimitStorage } from './rate-limit.storage.js';
import { tooManyRequests } from './too-many-requests.js';

/**
 * Runs before the authentication guard, on every route that authenticates (not `@Public()`).
 * Each 401 such a route answers counts against the client address; once an address has
 * `THROTTLE_AUTH_FAILURE_LIMIT` of them in the window, its requests to those routes answer
 * 429 before any token is looked at, so a flood of forged tokens is cut off instead of
 * verified forever. It keys on the address, never on a claim of the unverified token: a
 * forger could name another user's id and spend that user's budget.
 */
@Injectable()
export class AuthenticationFailureGuard implements CanActivate {
  private readonly logger = new Logger(AuthenticationFailureGuard.name);

  constructor(
    private readonly storage: RateLimitStorage,
    private readonly budgets: RateLimitBudgets,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (accessPolicyOf(context.getHandler(), context.getClass())?.kind === 'public') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const budget = this.budgets.authFailures;
    const key = `${budget.name}:${addressKey(request.ip)}`;
    // The outcome is known only once the later guards have run: count it when the answer leaves.
    reply.raw.once('finish', () => {
      if (reply.raw.statusCode !== 401) return;
      this.storage.increment(key, budget.ttlMs, Number.MAX_SAFE_INTEGER, 0).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'Could not count a failed authentication');
      });
    });
    return this.storage.peek(key).then((window) => {
      if (window && window.hits >= budget.limit)
        throw tooManyRequests(
          budget,
          window.windowLeftMs / 1000,
          `Too many failed authentications from this address: at most ${budget.limit} per ${budget.ttlMs / 1000} s`,
        );
      return true;
    });
  }
}
