import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { type AuthSession, signUp } from '../helpers/auth.js';
import { describeIf } from '../helpers/describe-if.js';
import { UNKNOWN_ID } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { AUTH_TEST_ENV } from './auth-client.js';

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, Record<string, unknown>> };
}

const SCHEME = 'bearer';

/** The routes anyone may call; every other operation needs the bearer token. */
const PUBLIC_OPERATIONS = [
  'get /v1/info',
  'get /.well-known/jwks.json',
  'post /v1/auth/signup',
  'post /v1/auth/login',
  'post /v1/auth/refresh',
  'post /v1/auth/password-reset',
  'post /v1/auth/password-reset/confirm',
  'post /v1/auth/email-verification/confirm',
];
const isPublic = (key: string) =>
  PUBLIC_OPERATIONS.includes(key) || (key.startsWith('get /health/') && key !== 'get /health/details');

/** The error statuses of `operation` documented as problem documents, of those the guard answers. */
const guardProblems = (operation: Operation) =>
  ['401', '403'].filter((status) => operation.responses[status]?.content?.['application/problem+json']);

/** Presses Execute in an operation block and returns the status and body the UI shows for the live response. */
async function execute(block: Locator): Promise<{ status: string; body: string }> {
  await block.getByRole('button', { name: 'Execute' }).click();
  const response = block.locator('.live-responses-table .response');
  const status = (await response.locator('.response-col_status').innerText()).trim();
  const body = await response.locator('.response-col_description pre').first().innerText();
  return { status, body };
}

const CHROMIUM = '/usr/bin/chromium';
const describeWithChromium = describeIf(
  existsSync(CHROMIUM),
  `${CHROMIUM} is missing (Debian package chromium; .ci/run installs it)`,
);

describe('Swagger UI and the bearer scheme (e2e)', () => {
  let t: TestApp;
  let user: AuthSession;
  let document: OpenApiDocument;
  let operations: { key: string; path: string; method: string; operation: Operation }[];

  beforeAll(async () => {
    t = await createTestApp({ env: AUTH_TEST_ENV });
    user = await signUp(t.url);
    const res = await fetch(`${t.url}/docs-json`);
    if (!res.ok) throw new Error(`GET /docs-json answered ${res.status}`);
    document = (await res.json()) as OpenApiDocument;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ key: `${method} ${path}`, path, method, operation })),
    );
  });
  afterAll(() => t?.close());

  const operationAt = (key: string): Operation => {
    const found = operations.find((candidate) => candidate.key === key);
    if (!found) throw new Error(`${key} is not documented`);
    return found.operation;
  };

  describe('the OpenAPI document', () => {
    it('declares the bearer scheme for JWT access tokens', () => {
      expect(document.components.securitySchemes?.[SCHEME]).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
    });

    it('puts the bearer requirement on every operation but the public ones', () => {
      const actual = operations.map(({ key, operation }) => ({ key, security: operation.security }));
      expect(actual).toEqual(
        operations.map(({ key }) => ({ key, security: isPublic(key) ? undefined : [{ [SCHEME]: [] }] })),
      );
      // Each public route is still documented, so the list above cannot go stale unnoticed.
      for (const key of PUBLIC_OPERATIONS) expect(operationAt(key).security).toBeUndefined();
      for (const key of ['get /v1/auth/me', 'get /v1/users', 'post /v1/users', 'get /v1/tasks/{id}'])
        expect({ key, security: operationAt(key).security }).toEqual({ key, security: [{ [SCHEME]: [] }] });
    });

    it('agrees with the guard: without a token exactly the secured operations answer 401 AUTH.TOKEN_MISSING', async () => {
      const answers = [];
      for (const { key, path, method, operation } of operations) {
        const res = await fetch(`${t.url}${path.replace(/\{[^}]+\}/g, UNKNOWN_ID)}`, { method: method.toUpperCase() });
        const text = await res.text();
        const missingToken = res.status === 401 && text.includes('"AUTH.TOKEN_MISSING"');
        answers.push({ key, secured: operation.security !== undefined, missingToken });
      }
      expect(answers).toEqual(answers.map(({ key, secured }) => ({ key, secured, missingToken: secured })));
    });

    it('documents the 401 problem on secured operations and the 403 on role ones', () => {
      const secured = operations.filter(({ operation }) => operation.security);
      expect(secured.filter(({ operation }) => !guardProblems(operation).includes('401'))).toEqual([]);
      expect(guardProblems(operationAt('get /v1/auth/me'))).toEqual(['401']);
      expect(operationAt('get /v1/auth/me').responses['401'].headers).toHaveProperty('WWW-Authenticate');
      expect(guardProblems(operationAt('post /v1/users'))).toEqual(['401', '403']);
      // A public route keeps only what its controller documents (login: wrong credentials).
      expect(operationAt('post /v1/auth/login').responses['401'].headers).toBeUndefined();
      expect(guardProblems(operationAt('get /v1/info'))).toEqual([]);
    });
  });

  describeWithChromium('in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      // Playwright gives the browser a fresh temporary profile of its own.
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      // A script or style blocked by the CSP shows up here, as a console error.
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });
    afterAll(() => browser?.close());

    /** The operation block of `method path`, expanded, with "Try it out" pressed. */
    const tryOut = async (method: string, path: string): Promise<Locator> => {
      const block = page
        .locator(`.opblock.opblock-${method}`)
        .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
      await block.locator('.opblock-summary-control').click();
      await block.getByRole('button', { name: 'Try it out' }).click();
      return block;
    };

    it('logs in, authorizes with the access token and calls GET /v1/auth/me', async () => {
      await page.goto(`${t.url}/docs`);

      const login = await tryOut('post', '/v1/auth/login');
      await login
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ email: user.email, password: user.password }));
      const loggedIn = await execute(login);
      expect(loggedIn.status).toBe('200');
      const { accessToken, tokenType } = JSON.parse(loggedIn.body) as { accessToken: string; tokenType: string };
      expect(tokenType).toBe('Bearer');

      await page.locator('.scheme-container button.authorize').click();
      const dialog = page.locator('.modal-ux');
      await dialog.getByLabel('auth-bearer-value').fill(accessToken);
      await dialog.locator('.auth-btn-wrapper button.authorize').click();
      await dialog.getByRole('button', { name: 'Close' }).click();

      const me = await tryOut('get', '/v1/auth/me');
      const answered = await execute(me);
      expect(answered.status).toBe('200');
      expect(JSON.parse(answered.body)).toMatchObject({ id: user.userId, email: user.email });
      // persistAuthorization is off: the token lives in the page only, never in its storage.
      expect(await page.evaluate('JSON.stringify(window.localStorage)')).not.toContain(accessToken);
      expect(pageErrors).toEqual([]);
    });
  });
});
