import { registerAs } from '@nestjs/config';
import type { Env } from './env.schema.js';
import { loadEnv } from './load-env.js';

/** Who may read a piece of operational information: anyone, or admins only (with a bearer token). */
export type ExposureAccess = 'public' | 'admin';

/**
 * What the API tells anonymous callers about itself. Unset, both are `admin` in production (the
 * document maps every route, readiness details name dependencies and open circuits: reconnaissance
 * for an attacker) and `public` elsewhere, where developers read them in a browser.
 */
export const exposureConfig = registerAs('exposure', () => exposureOf(loadEnv()));
export type ExposureConfig = ReturnType<typeof exposureConfig>;

export function exposureOf(env: Pick<Env, 'NODE_ENV' | 'DOCS_ACCESS' | 'HEALTH_DETAILS_ACCESS'>): {
  docs: ExposureAccess;
  healthDetails: ExposureAccess;
} {
  const fallback: ExposureAccess = env.NODE_ENV === 'production' ? 'admin' : 'public';
  return {
    /** `/docs` (Swagger UI) and `/docs-json`, `/docs-yaml` (the OpenAPI document). */
    docs: env.DOCS_ACCESS ?? fallback,
    /** `checks` in `GET /health/ready`; `GET /health/details` is for admins whatever this says. */
    healthDetails: env.HEALTH_DETAILS_ACCESS ?? fallback,
  };
}
