import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TaskHandler, type TaskContext, type TaskRunner } from '../../tasks.contracts.js';

export const ECHO_TASK = 'tasks.echo';

export class EchoPayload {
  @ApiProperty({ maxLength: 1000, example: 'hello' })
  @IsString()
  @MaxLength(1000)
  message: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 60_000, default: 0, description: 'How long the task takes (ms)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  durationMs?: number;
}

/**
 * Returns its message, after `durationMs`, reporting progress each tenth of the way and
 * stopping when cancelled. A smoke test of the whole path (HTTP, queue, worker, row), and
 * the no-op the benchmark measures. Safe to run twice: it has no effects.
 */
@Injectable()
@TaskHandler({
  type: ECHO_TASK,
  submitters: 'users',
  payload: EchoPayload,
  description: 'Returns its message after durationMs',
})
export class EchoTask implements TaskRunner<EchoPayload, { message: string }> {
  async run(payload: EchoPayload, context: TaskContext): Promise<{ message: string }> {
    const duration = payload.durationMs ?? 0;
    if (duration > 0) {
      for (let tenth = 1; tenth <= 10; tenth++) {
        await sleep(duration / 10, undefined, { signal: context.signal });
        await context.reportProgress(tenth * 10);
      }
    }
    return { message: payload.message };
  }
}
