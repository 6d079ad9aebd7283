import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

/** Development only (production refuses to start without WEBHOOK_SECRET): anyone can read it here. */
const DEVELOPMENT_SECRET = `whsec_${Buffer.from('development-webhook-secret-32byte').toString('base64')}`;

export const webhooksConfig = registerAs('webhooks', () => {
  const env = loadEnv();
  return {
    secret: env.WEBHOOK_SECRET ?? DEVELOPMENT_SECRET,
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
  };
});
export type WebhooksConfig = ReturnType<typeof webhooksConfig>;
