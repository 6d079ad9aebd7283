import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { principalOf } from '../../auth/principal.js';
import { addressKey } from './client-address.js';
import { type Budget, RateLimitBudgets } from './rate-limit.budgets.js';
import { namedBudgetsOf } from './rate-limit.decorator.js';
import { RateLimitStorage } from './rate-limit.storage.js';
import { tooManyRequests } from './too-many-requests.js';

/** `@SkipThrottle()` of @nestjs/throttler (metadata key `THROTTLER:SKIP` + throttler name), honoured. */
const SKIP_THROTTLE = 'THROTTLER:SKIPdefault';

/**
 * The rate limit by principal. An interceptor, not a guard, because Nest runs every guard
 * before any interceptor: the authentication guard has verified the caller, whatever order
 * the modules are imported in, so the budget is the user's (`user:<id>`) and only an
 * anonymous request is counted on its address. Every throttled request spends the general
 * budget once, whatever the route; a `@RateLimit(...)` route also spends its named budgets.
 * Routes marked `@SkipThrottle()` (the probes, the JWKS) spend nothing.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  /** The budgets of each controller's handlers, read from their metadata once; `null`: exempt. */
  private readonly plans = new WeakMap<object, Map<object, Budget[] | null>>();

  constructor(
    private readonly storage: RateLimitStorage,
    private readonly budgets: RateLimitBudgets,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const plan = this.planOf(context.getHandler(), context.getClass());
    if (!plan) return next.handle();

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const address = `address:${addressKey(request.ip)}`;
    const principal = principalOf(request);
    const subject = principal ? `user:${principal.userId}` : address;

    const records = await Promise.all(
      plan.map((budget) =>
        this.storage.increment(
          `${budget.name}:${budget.per === 'address' ? address : subject}`,
          budget.ttlMs,
          budget.limit,
          budget.ttlMs,
        ),
      ),
    );
    const general = records[0];
    void reply.headers({
      'x-ratelimit-limit': String(plan[0].limit),
      'x-ratelimit-remaining': String(Math.max(0, plan[0].limit - general.totalHits)),
      'x-ratelimit-reset': String(general.timeToExpire),
    });

    let over: { budget: Budget; retryAfterS: number } | undefined;
    records.forEach((record, i) => {
      if (record.isBlocked && (!over || record.timeToBlockExpire > over.retryAfterS))
        over = { budget: plan[i], retryAfterS: record.timeToBlockExpire };
    });
    if (over) {
      const { budget, retryAfterS } = over;
      throw tooManyRequests(
        budget,
        retryAfterS,
        `Rate limit '${budget.name}' exceeded: at most ${budget.limit} requests per ${budget.ttlMs / 1000} s per ${
          budget.per === 'address' || !principal ? 'client address' : 'user'
        }`,
      );
    }
    return next.handle();
  }

  private planOf(handler: object, controller: object): Budget[] | null {
    let plans = this.plans.get(controller);
    if (!plans) this.plans.set(controller, (plans = new Map()));
    let plan = plans.get(handler);
    if (plan === undefined) {
      const skipped = Boolean(
        Reflect.getMetadata(SKIP_THROTTLE, handler) ?? Reflect.getMetadata(SKIP_THROTTLE, controller),
      );
      plan = skipped
        ? null
        : [this.budgets.general, ...namedBudgetsOf(handler, controller).map((name) => this.budgets.named[name])];
      plans.set(handler, plan);
    }
    return plan;
  }
}
