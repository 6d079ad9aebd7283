import { InMemoryTaskRepository } from '../../../../test/fakes/in-memory-task.repository.js';
import { newId } from '../../../shared/ids.js';
import { TASK_STATUSES, isFinished } from './task.js';
import {
  IdempotencyKeyReusedError,
  InvalidTaskError,
  TaskAlreadyFinishedError,
  TaskNotFoundError,
} from './task.errors.js';

describe('task statuses', () => {
  it.each([
    ['queued', false],
    ['running', false],
    ['succeeded', true],
    ['failed', true],
    ['cancelled', true],
  ] as const)('%s is finished: %s', (status, finished) => {
    expect(isFinished(status)).toBe(finished);
  });

  it('lists every status once', () => {
    expect([...TASK_STATUSES].sort()).toEqual(['cancelled', 'failed', 'queued', 'running', 'succeeded']);
  });
});

describe('task errors', () => {
  it('InvalidTaskError says what is wrong with each field, and keeps the problems for the response', () => {
    const problems = [
      { field: 'type', messages: ['must be one of: tasks.echo'] },
      { field: 'payload.url', messages: ['url must be a URL address', 'url should not be empty'] },
    ];

    const error = new InvalidTaskError(problems);

    expect(error.message).toBe(
      'type: must be one of: tasks.echo. payload.url: url must be a URL address; url should not be empty',
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 'TASKS.INVALID', problems, name: 'InvalidTaskError' });
  });

  it.each([
    { name: 'TaskNotFoundError', error: new TaskNotFoundError('t-1'), kind: 'not_found', code: 'TASKS.NOT_FOUND' },
    {
      name: 'TaskAlreadyFinishedError',
      error: new TaskAlreadyFinishedError('t-1', 'succeeded'),
      kind: 'conflict',
      code: 'TASKS.ALREADY_FINISHED',
    },
    {
      name: 'IdempotencyKeyReusedError',
      error: new IdempotencyKeyReusedError('t-1'),
      kind: 'conflict',
      code: 'TASKS.IDEMPOTENCY_KEY_REUSED',
    },
  ])('$name is a $kind error with code $code that names the task', ({ error, kind, code }) => {
    expect(error).toMatchObject({ kind, code, taskId: 't-1' });
    expect(error.message).toContain('t-1');
  });

  it('TaskAlreadyFinishedError names the status the task ended in', () => {
    expect(new TaskAlreadyFinishedError('t-1', 'failed').message).toContain('failed');
  });
});

describe('TaskRepository.getById', () => {
  it('answers the task, or throws TaskNotFoundError naming the id', async () => {
    const tasks = new InMemoryTaskRepository();
    const task = tasks.seed({ id: newId(), type: 'tasks.echo' });
    const missing = newId();

    expect(await tasks.getById(task.id)).toEqual(task);
    await expect(tasks.getById(missing)).rejects.toThrow(TaskNotFoundError);
    await expect(tasks.getById(missing)).rejects.toMatchObject({ taskId: missing });
  });
});
