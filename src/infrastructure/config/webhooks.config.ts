import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const webhooksConfig = registerAs('webhooks', () => {
  const env = loadEnv();
  return {
    /** `test` keeps a generated encryption key in memory; `development` keeps one under `keyDirectory`. */
    nodeEnv: env.NODE_ENV,
    /** 32 bytes (AES-256-GCM) that encrypt the endpoints' signing secrets at rest; required in production. */
    encryptionKey: env.WEBHOOK_ENCRYPTION_KEY ? Buffer.from(env.WEBHOOK_ENCRYPTION_KEY, 'base64') : undefined,
    keyDirectory: env.WEBHOOK_KEY_DIR,
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    requireHttps: env.WEBHOOK_REQUIRE_HTTPS ?? env.NODE_ENV === 'production',
    /** How long a rotated-out secret keeps signing deliveries (both signatures are sent). */
    secretGraceMs: env.WEBHOOK_SECRET_GRACE_S * 1000,
    maxEndpointsPerOwner: env.WEBHOOK_MAX_ENDPOINTS_PER_OWNER,
  };
});
export type WebhooksConfig = ReturnType<typeof webhooksConfig>;
