import { setTimeout as sleep } from 'node:timers/promises';
import { signUp } from '../helpers/auth.js';
import { waitFor } from '../helpers/wait-for.js';
import { isFinished, type TaskJson } from './tasks-api.js';
import { allTasks, type AppEnv, useTasksApp } from './tasks-suite-helpers.js';

const CONCURRENCY = 4;
/** The default TASK_MAX_RUNNING_PER_OWNER: half of TASK_CONCURRENCY. */
const PER_OWNER = CONCURRENCY / 2;

const running = (tasks: TaskJson[]) => tasks.filter((task) => task.status === 'running');

/**
 * One user filling the queue with long tasks must not starve everyone else: at most
 * TASK_MAX_RUNNING_PER_OWNER of theirs run at once (counted across workers), the rest wait
 * without spending attempts, and the application's own tasks (emails) are never held back.
 */
export function fairnessTests(env: AppEnv): void {
  describe(`one user's long tasks (TASK_CONCURRENCY ${CONCURRENCY}, so ${PER_OWNER} per user)`, () => {
    const f = useTasksApp({ ...env, TASK_CONCURRENCY: String(CONCURRENCY), TASK_CANCEL_POLL_MS: '200' }, 'fair');

    it('run at most their share at once; a new account’s welcome email and another user’s task still run', async () => {
      const hogs: TaskJson[] = [];
      for (let n = 0; n < CONCURRENCY; n += 1)
        hogs.push(await f.api.create({ type: 'tasks.echo', payload: { message: `hog ${n}`, durationMs: 60_000 } }));
      const states = () => Promise.all(hogs.map((task) => f.api.get(task.id)));
      try {
        await waitFor('their share running', states, (tasks) => running(tasks).length === PER_OWNER, {
          timeoutMs: 15_000,
        });
        // Workers keep picking the others up and putting them back: still only their share, no attempt spent.
        await sleep(2500);
        const later = await states();
        expect(running(later)).toHaveLength(PER_OWNER);
        expect(later.filter((task) => task.status === 'queued').map((task) => task.attempts)).toEqual(
          Array(CONCURRENCY - PER_OWNER).fill(0),
        );

        // The application's own task, queued for a new account, runs meanwhile.
        const newcomer = await signUp(f.t.url);
        const [welcome] = await waitFor(
          'the welcome task of the new account',
          async () =>
            (await allTasks(f.admin.api, { type: 'users.send-welcome-email' })).filter(
              (task) => task.payload.userId === newcomer.userId,
            ),
          (found) => found.length === 1,
          { timeoutMs: 15_000 },
        );
        expect(await f.admin.api.waitFor(welcome.id, isFinished, 15_000)).toMatchObject({ status: 'succeeded' });
        const another = await f.other.api.create({ type: 'tasks.echo', payload: { message: 'mine too' } });
        expect(await f.other.api.waitFor(another.id, isFinished, 15_000)).toMatchObject({ status: 'succeeded' });

        // A freed slot goes to one of the waiting tasks, whose first attempt is its attempt 1.
        const [stopped] = running(await states());
        expect((await f.api.cancel(stopped.id)).status).toBe(202);
        const next = await waitFor(
          'a waiting task to start',
          states,
          (tasks) => running(tasks).length === PER_OWNER && !running(tasks).some((task) => task.id === stopped.id),
          { timeoutMs: 15_000 },
        );
        expect(running(next).map((task) => task.attempts)).toEqual(Array(PER_OWNER).fill(1));
      } finally {
        for (const task of hogs) await f.api.cancel(task.id);
        for (const task of hogs) await f.api.waitFor(task.id, isFinished, 15_000);
      }
    });
  });
}
