import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, OwnerOrAdmin } from '../../../infrastructure/auth/access-policy.js';
import { CurrentPrincipal, type Principal } from '../../../infrastructure/auth/principal.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { BodyLimit } from '../../../infrastructure/http/json-body-limit.js';
import { RateLimit } from '../../../infrastructure/http/throttling/rate-limit.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { CancelTaskCommand } from '../application/commands/cancel-task/cancel-task.command.js';
import { SubmitTaskCommand } from '../application/commands/submit-task/submit-task.command.js';
import { GetTaskQuery } from '../application/queries/get-task/get-task.query.js';
import type { TaskActor } from '../domain/task.js';
import { ListTasksRequest } from './dto/list-tasks.request.dto.js';
import { SubmitTaskRequest } from './dto/submit-task.request.dto.js';
import { TaskPageResponse, TaskResponse } from './dto/task.response.dto.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './idempotency-key.decorator.js';
import { TaskProblemsInterceptor } from './task-problems.interceptor.js';

const TASK_ID = { name: 'id', format: 'uuid', description: 'Task id' };

const actorOf = ({ userId, role }: Principal): TaskActor => ({ userId, role });

/**
 * Tasks, version 1: submit background work, follow it, cancel it. A task belongs to whoever
 * submitted it: users reach only their own (another's answers 404, like a missing one),
 * admins reach every task, including the application's own (emails).
 */
@ApiTags('tasks')
@OwnerOrAdmin('task')
@UseInterceptors(TaskProblemsInterceptor)
@Controller({ path: 'tasks', version: '1' })
export class TasksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Authenticated()
  @RateLimit('task-submission')
  @BodyLimit('task')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Same key and same body: the first task is returned (no new task). Same key, other body: 409. Keys are per user and expire after TASK_IDEMPOTENCY_TTL_S (default 24 h).',
  })
  @ApiAcceptedResponse({
    type: TaskResponse,
    description: 'Queued (or, for a repeated Idempotency-Key, the task made the first time)',
    headers: { Location: { description: 'URL of the task', schema: { type: 'string' } } },
  })
  @ApiProblem(
    400,
    'Unknown type, or one the caller may not submit (the message lists those they may), invalid payload, or maxAttempts above the type’s; `errors` names each field',
  )
  @ApiProblem(403, 'TASKS.EMAIL_NOT_VERIFIED: the type sends something out (outbound) and the account is not verified')
  @ApiProblem(409, 'TASKS.IDEMPOTENCY_KEY_REUSED: the key was used with a different body')
  @ApiProblem(413, 'HTTP.PAYLOAD_TOO_LARGE: the body is larger than TASK_BODY_LIMIT (default 256 KiB)')
  async submit(
    @Body() body: SubmitTaskRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const { task, created } = await this.commands.execute(
      new SubmitTaskCommand({ ...body, idempotencyKey, submitter: actorOf(principal) }),
    );
    void reply.header('location', `/v1/tasks/${task.id}`);
    if (!created) void reply.header('idempotent-replayed', 'true');
    return TaskResponse.from(task);
  }

  @Get()
  @ApiOkResponse({ type: TaskPageResponse, description: "Newest first: the caller's own tasks (admins: every task)" })
  @ApiProblem(400, 'Invalid query parameter, or a non-admin naming another user as ownerId')
  async list(@Query() query: ListTasksRequest, @CurrentPrincipal() principal: Principal): Promise<TaskPageResponse> {
    const page = await this.queries.execute(query.toQuery(actorOf(principal)));
    return { items: page.tasks.map(TaskResponse.from), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskResponse })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, "TASKS.NOT_FOUND: no such task, or another user's")
  async get(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<TaskResponse> {
    return TaskResponse.from(await this.queries.execute(new GetTaskQuery(id, actorOf(principal))));
  }

  @Post(':id/cancel')
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskResponse, description: 'Cancelled: it will not run (or was cancelled before)' })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'Running: its handler was asked to stop' })
  @ApiProblem(404, "TASKS.NOT_FOUND: no such task, or another user's")
  @ApiProblem(409, 'TASKS.ALREADY_FINISHED: the task succeeded or failed')
  async cancel(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.commands.execute(new CancelTaskCommand(id, actorOf(principal)));
    void reply.status(task.status === 'running' ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return TaskResponse.from(task);
  }
}
