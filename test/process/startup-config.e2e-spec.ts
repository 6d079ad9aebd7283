import { randomBytes } from 'node:crypto';
import { generateSigningJwk } from '../../src/modules/auth/infrastructure/signing-keys.js';
import { startAppProcess } from '../helpers/app-process.js';

describe('startup with invalid configuration (real process)', () => {
  it('exits non-zero naming PORT when PORT is not a number', async () => {
    const app = await startAppProcess({ PORT: 'abc', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    const { code } = await app.waitForExit();
    expect(code).not.toBe(0);
    expect(app.output()).toMatch(/PORT: must be a number/);
  });

  it('exits non-zero naming DATABASE_URL in production without one', async () => {
    // Every other secret production requires is given: DATABASE_URL is the one missing.
    const app = await startAppProcess({
      NODE_ENV: 'production',
      AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk()),
      WEBHOOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    const { code } = await app.waitForExit();
    expect(code).not.toBe(0);
    expect(app.output()).toMatch(/DATABASE_URL: is required when NODE_ENV=production/);
    expect(app.output()).not.toMatch(/AUTH_SIGNING_KEY|WEBHOOK_ENCRYPTION_KEY/);
  });

  it('lists every bad variable in one message', async () => {
    const app = await startAppProcess({ PORT: '70000', APP_ROLE: 'cook', LOG_LEVEL: 'loud', TRUST_PROXY: '-1' });
    const { code } = await app.waitForExit();
    expect(code).not.toBe(0);
    const output = app.output();
    for (const name of ['PORT', 'APP_ROLE', 'LOG_LEVEL', 'TRUST_PROXY']) expect(output).toContain(`- ${name}:`);
    expect(output.match(/^Invalid configuration:/gm)).toHaveLength(1);
  });
});
