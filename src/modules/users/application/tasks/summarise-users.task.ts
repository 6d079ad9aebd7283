import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { type TaskContext, TaskHandler, type TaskRunner } from '../../../tasks/tasks.contracts.js';
import { UserRepository } from '../../domain/user.repository.js';

export const SUMMARISE_USERS = 'users.summarise';

export class SummariseUsersPayload {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'Users read per page' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10_000,
    default: 0,
    description: 'Pause between pages (ms), to spread the load on the database',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  pauseMs?: number;
}

export interface UsersSummary {
  total: number;
  byRole: Record<string, number>;
  /** The five most common email domains, most common first. */
  topEmailDomains: { domain: string; users: number }[];
}

/**
 * Walks every user page by page (keyset, so pages stay consistent while users register),
 * reporting progress after each page and stopping at the first page boundary after a
 * cancel. Read-only, so running it twice only costs time.
 */
@Injectable()
@TaskHandler({
  type: SUMMARISE_USERS,
  submitters: 'admins',
  payload: SummariseUsersPayload,
  maxAttempts: 3,
  description: 'Counts users by role and email domain, reporting progress; cancellable',
})
export class SummariseUsersTask implements TaskRunner<SummariseUsersPayload, UsersSummary> {
  constructor(private readonly users: UserRepository) {}

  async run(payload: SummariseUsersPayload, context: TaskContext): Promise<UsersSummary> {
    const pageSize = payload.pageSize ?? 100;
    const expected = Math.max(1, await this.users.count());
    const byRole: Record<string, number> = {};
    const byDomain = new Map<string, number>();
    let total = 0;
    let afterId: string | undefined;

    for (;;) {
      context.signal.throwIfAborted();
      const page = await this.users.list({ limit: pageSize, afterId });
      for (const user of page) {
        byRole[user.role] = (byRole[user.role] ?? 0) + 1;
        const domain = user.email.slice(user.email.lastIndexOf('@') + 1);
        byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
      }
      total += page.length;
      if (page.length < pageSize) break;
      afterId = page[page.length - 1].id;
      await context.reportProgress(Math.min(99, (total / expected) * 100));
      if (payload.pauseMs) await sleep(payload.pauseMs, undefined, { signal: context.signal });
    }

    const topEmailDomains = [...byDomain]
      .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
      .slice(0, 5)
      .map(([domain, users]) => ({ domain, users }));
    return { total, byRole, topEmailDomains };
  }
}
