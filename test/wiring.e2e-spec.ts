import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkerHost } from '@nestjs/bullmq';
import { type INestApplicationContext, Injectable, Module, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Command, Query } from '@nestjs/cqrs';
import { OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import type { Worker } from 'bullmq';
import { AppModule } from '../src/app.module.js';
import { DatabaseEndpoint } from '../src/infrastructure/database/database-endpoint.js';
import { messageCatalogue } from '../src/infrastructure/wiring/messages.js';
import { previewApplication } from '../src/infrastructure/wiring/preview.js';
import { WiringError } from '../src/infrastructure/wiring/wiring.check.js';
import { WiringExplorer } from '../src/infrastructure/wiring/wiring.explorer.js';
import { buildWiringReport, type WiringReport } from '../src/infrastructure/wiring/wiring.report.js';
import { TaskTypeRegistry } from '../src/modules/tasks/application/task-type.registry.js';
import { createTestApp, type TestApp, withEnv } from './helpers/test-app.js';

/** A listener that misspells the event: it would never be called. */
@Injectable()
class StrayListener {
  @OnEvent('users.registred')
  handle(): void {}
}

@Module({ providers: [StrayListener] })
class StrayListenerModule {}

/** Compiled by the jest global setup (test/setup/global/build-for-process-tests.ts) from this tree. */
const CLI = resolve('dist-test/infrastructure/wiring/wiring.cli.js');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

function workersOf(app: INestApplicationContext): Worker[] {
  return app
    .get(DiscoveryService)
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
    .map((host) => host.worker);
}

const moduleIn = (report: WiringReport, name: string) => report.modules.find((entry) => entry.name === name)!;

describe('wiring (e2e)', () => {
  let preview: INestApplicationContext;
  let report: WiringReport;

  beforeAll(async () => {
    preview = await previewApplication();
    report = buildWiringReport(WiringExplorer.of(preview), messageCatalogue);
  });
  afterAll(() => preview.close());

  describe('report of the application in preview mode', () => {
    it('lists the routes with their versions', () => {
      expect(moduleIn(report, 'UsersModule').routes).toEqual(
        expect.arrayContaining([
          {
            method: 'POST',
            path: '/v1/users',
            version: '1',
            handler: 'UsersController.register',
            access: 'role:admin',
          },
          {
            method: 'GET',
            path: '/v2/users/:id',
            version: '2',
            handler: 'UsersV2Controller.get',
            access: 'owner:user',
          },
        ]),
      );
      expect(moduleIn(report, 'HealthModule').routes).toContainEqual({
        method: 'GET',
        path: '/health/live',
        version: null,
        handler: 'HealthController.live',
        access: 'public',
      });
    });

    it('lists handlers, listeners, the queue processor and the task types of each module', () => {
      const users = moduleIn(report, 'UsersModule');
      expect(users.commandHandlers).toContainEqual({ command: 'RegisterUserCommand', handler: 'RegisterUserHandler' });
      expect(users.queryHandlers).toContainEqual({ query: 'GetUserQuery', handler: 'GetUserHandler' });
      // Its domain events reach other modules through the outbox, not through CQRS event handlers.
      expect(users.eventHandlers).toEqual([]);
      expect(users.listeners).toEqual([
        { event: 'users.registered', listener: 'CreateProfileListener.handle' },
        { event: 'users.registered', listener: 'QueueWelcomeEmailListener.handle' },
      ]);
      expect(moduleIn(report, 'TasksModule').processors).toEqual([{ queue: 'tasks', processor: 'TasksProcessor' }]);
      expect(users.decorated.taskTypes).toContainEqual({
        provider: 'SendWelcomeEmailTask',
        options: expect.objectContaining({ type: 'users.send-welcome-email', maxAttempts: 5 }),
      });
      expect(report.integrationEvents).toContain('users.registered');
    });

    it('finds a handler for every @RequiresHandler command and query', () => {
      const handled = report.modules.flatMap((entry) => [
        ...entry.commandHandlers.map(({ command }) => command),
        ...entry.queryHandlers.map(({ query }) => query),
      ]);
      const required = messageCatalogue.requiredHandlers().map(({ message }) => message.name);

      expect(required).toEqual(expect.arrayContaining(['RegisterUserCommand', 'SubmitTaskCommand', 'ListTasksQuery']));
      expect(handled).toEqual(expect.arrayContaining(required));
      expect(report.slips).toEqual([]);
    });

    // The startup check can only vouch for classes that carry the decorator.
    it('has every command and query class of src/modules marked @RequiresHandler', async () => {
      const files = readdirSync('src/modules', { recursive: true, encoding: 'utf8' }).filter((file) =>
        /\.(command|query)\.ts$/.test(file),
      );
      const messages: Type[] = [];
      for (const file of files) {
        const exported = Object.values(await import(`../src/modules/${file.replace(/\.ts$/, '.js')}`));
        messages.push(
          ...exported.filter(
            (value): value is Type =>
              typeof value === 'function' && (value.prototype instanceof Command || value.prototype instanceof Query),
          ),
        );
      }
      const marked = new Set(messageCatalogue.requiredHandlers().map(({ message }) => message));

      expect(messages.length).toBeGreaterThanOrEqual(10);
      expect(messages.filter((message) => !marked.has(message)).map((message) => message.name)).toEqual([]);
    });
  });

  describe('the running application', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { TASK_CONCURRENCY: '3', TASK_LOCK_DURATION_MS: '4000' } });
    });
    afterAll(() => t.close());

    it('serves every route the preview reported, and has the task types it reported', () => {
      const fastify = t.app.getHttpAdapter().getInstance();
      const routes = report.modules.flatMap((entry) => entry.routes);

      expect(routes.length).toBeGreaterThan(10);
      for (const { method, path } of routes) {
        expect({ method, path, served: fastify.hasRoute({ method, url: path }) }).toEqual({
          method,
          path,
          served: true,
        });
      }
      const reported = report.modules.flatMap((entry) => entry.decorated.taskTypes.map(({ options }) => options.type));
      expect(reported.sort()).toEqual(t.app.get(TaskTypeRegistry).names());
    });

    it('runs one worker for the tasks queue, with the configured options (the factory subclass wins)', () => {
      const workers = workersOf(t.app).filter((worker) => worker.name === 'tasks');

      expect(workers).toHaveLength(1);
      expect(workers[0].opts).toMatchObject({ concurrency: 3, lockDuration: 4000, stalledInterval: 4000 });
    });

    it('refuses to start with a listener on an undeclared integration event', async () => {
      const moduleRef = await withEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, () =>
        Test.createTestingModule({
          imports: [
            AppModule.forRoot({ database: new DatabaseEndpoint(t.databaseUrl, 'external') }),
            StrayListenerModule,
          ],
        }).compile(),
      );
      try {
        const failure = await moduleRef.init().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(WiringError);
        expect((failure as WiringError).slips).toEqual([
          expect.stringMatching(/^StrayListener\.handle listens to "users\.registred", which no integrationEvent\(\)/),
        ]);
      } finally {
        await moduleRef.close();
      }
    });
  });

  describe('npm run wiring (the compiled CLI)', () => {
    it('prints the same report as JSON, telling library modules from the application’s', async () => {
      const { code, stdout } = await runCli(['--json']);
      const printed = JSON.parse(stdout) as WiringReport;

      expect(code).toBe(0);
      expect(printed.modules.map(({ name }) => name)).toEqual(report.modules.map(({ name }) => name));
      expect(moduleIn(printed, 'UsersModule')).toEqual({ ...moduleIn(report, 'UsersModule'), library: false });
      expect(moduleIn(printed, 'CqrsModule').library).toBe(true);
      expect(moduleIn(printed, 'TasksModule').library).toBe(false);
      expect(printed.slips).toEqual([]);
    });

    it('prints a readable report for the terminal, and usage on --help or a wrong option', async () => {
      const text = await runCli([]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^UsersModule$/m);
      expect(text.stdout).toMatch(/^ +routes +POST +\/v1\/users +UsersController\.register +role:admin$/m);
      expect(text.stdout).toMatch(/^ +listeners +users\.registered → CreateProfileListener\.handle$/m);
      expect(text.stdout).toMatch(/^ +libraries +.*CqrsModule/m);
      expect(text.stdout).not.toMatch(/^CqrsModule/m);
      expect(text.stdout).toMatch(/^Wiring check: OK$/m);

      expect((await runCli(['--all'])).stdout).toMatch(/^CqrsModule \(global, library\)$/m);
      expect(await runCli(['--help'])).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^Usage: npm run wiring/),
      });
      expect(await runCli(['--yaml'])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^Unknown option: --yaml/),
      });
    });
  });
});
