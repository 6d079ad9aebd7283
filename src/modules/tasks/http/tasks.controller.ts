import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, OwnerOrAdmin } from '../../../infrastructure/auth/access-policy.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { CancelTaskCommand } from '../application/commands/cancel-task/cancel-task.command.js';
import { SubmitTaskCommand } from '../application/commands/submit-task/submit-task.command.js';
import { GetTaskQuery } from '../application/queries/get-task/get-task.query.js';
import { ListTasksRequest } from './dto/list-tasks.request.dto.js';
import { SubmitTaskRequest } from './dto/submit-task.request.dto.js';
import { TaskPageResponse, TaskResponse } from './dto/task.response.dto.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './idempotency-key.decorator.js';
import { TaskPayloadPipe } from './task-payload.pipe.js';

const TASK_ID = { name: 'id', format: 'uuid', description: 'Task id' };

/** Tasks, version 1: submit background work, follow it, cancel it. */
@ApiTags('tasks')
@OwnerOrAdmin('task')
@Controller({ path: 'tasks', version: '1' })
export class TasksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Authenticated()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: 'Same key and same body: the first task is returned (no new task). Same key, other body: 409.',
  })
  @ApiAcceptedResponse({
    type: TaskResponse,
    description: 'Queued (or, for a repeated Idempotency-Key, the task made the first time)',
    headers: { Location: { description: 'URL of the task', schema: { type: 'string' } } },
  })
  @ApiProblem(400, 'Unknown type (the message lists the known ones) or invalid payload; `errors` names each field')
  @ApiProblem(409, 'TASKS.IDEMPOTENCY_KEY_REUSED: the key was used with a different body')
  async submit(
    @Body(TaskPayloadPipe) body: SubmitTaskRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const { task, created } = await this.commands.execute(new SubmitTaskCommand({ ...body, idempotencyKey }));
    void reply.header('location', `/v1/tasks/${task.id}`);
    if (!created) void reply.header('idempotent-replayed', 'true');
    return TaskResponse.from(task);
  }

  @Get()
  @ApiOkResponse({ type: TaskPageResponse, description: 'Newest first' })
  @ApiProblem(400, 'Invalid query parameter')
  async list(@Query() query: ListTasksRequest): Promise<TaskPageResponse> {
    const page = await this.queries.execute(query.toQuery());
    return { items: page.tasks.map(TaskResponse.from), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskResponse })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, 'TASKS.NOT_FOUND')
  async get(@Param('id', ParseIdPipe) id: string): Promise<TaskResponse> {
    return TaskResponse.from(await this.queries.execute(new GetTaskQuery(id)));
  }

  @Post(':id/cancel')
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskResponse, description: 'Cancelled: it will not run (or was cancelled before)' })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'Running: its handler was asked to stop' })
  @ApiProblem(404, 'TASKS.NOT_FOUND')
  @ApiProblem(409, 'TASKS.ALREADY_FINISHED: the task succeeded or failed')
  async cancel(
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.commands.execute(new CancelTaskCommand(id));
    void reply.status(task.status === 'running' ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return TaskResponse.from(task);
  }
}
