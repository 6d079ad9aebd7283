import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { adminAccessToken, bearer } from '../lib/auth.js';
import { UNIQUE } from '../lib/unique.js';
import { POOL_SIZE } from './users-get.js';

/**
 * The statements the app sends for one registration, as PostgreSQL logs them with
 * log_statement=all (the same text, so the same parse and plan work): TypeORM's insert
 * (TypeOrmUserRepository.add), which reads back the defaulted `role`; then, without waiting for
 * it, the profile the `users.registered` listener creates (CreateProfileListener, through
 * TypeOrmUserProfileRepository.createIfMissing). No transaction around either, on either side.
 */
const INSERT_USER =
  'INSERT INTO "users"("id", "email", "name", "role", "created_at", "updated_at", "email_verified_at", "version") ' +
  'VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "role"';
const INSERT_PROFILE = `INSERT INTO user_profiles (user_id, locale, time_zone, created_at)
       SELECT id, $2, $3, $4 FROM users WHERE id = $1
       ON CONFLICT (user_id) DO NOTHING`;

/**
 * @param {string} prefix Keeps the two sides' emails apart in the one `users` table.
 * @param {Record<string, string>} [credentials] An admin's `authorization` header: creating users takes the admin role.
 */
const registration = (prefix, credentials = {}) => ({
  method: 'POST',
  path: '/v1/users',
  headers: { 'content-type': 'application/json', ...credentials },
  // UNIQUE becomes a new token in every request: a repeated email would be a 409, not a registration.
  body: JSON.stringify({ email: `${prefix}-${UNIQUE}@example.com`, name: 'Bench User' }),
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A write: the whole app (the authentication guard with an admin's token, body validation and
 * transformation, the command bus, the User aggregate, TypeORM's insert, the domain and
 * integration events and the async profile listener) against the same two statements from a
 * bare Fastify route. Both sides write into the same tables (the same indexes, constraints and
 * growth), each with its own email prefix.
 * @type {import('./index.js').Scenario}
 */
export default {
  name: 'users-register',
  title: 'POST /v1/users (a new email every request) vs plain Fastify + pg INSERT',
  targetRatio: 0.4,
  app: registration('app'), // replaced by prepare()
  baselineRequest: registration('baseline'),
  /** Signs up an admin; both sides are sent its token (the baseline ignores it). */
  async prepare({ appUrl, databaseUrl }) {
    const credentials = bearer(await adminAccessToken(appUrl, databaseUrl));
    return { app: registration('app', credentials), baseline: registration('baseline', credentials) };
  },
  /** Each side answers its own new id and email; their shape, and the rest, must match. */
  comparable(body) {
    if (typeof body !== 'object' || body === null) return body;
    const { id, email, ...rest } = /** @type {Record<string, unknown>} */ (body);
    return {
      ...rest,
      id: typeof id === 'string' && UUID_V7.test(id) ? '(a UUID v7)' : id,
      email: typeof email === 'string' ? email.replace(/^(app|baseline)-[0-9a-f]{16}-[0-9a-z]+@/, '(unique)@') : email,
    };
  },
  /**
   * The same statements, pool size, answer (201, body, Location and ETag) and conflict rule.
   * The body is checked by a route schema, Fastify's own way, with the DTO's limits, and
   * normalised as the User aggregate does (trimmed; email lower-cased); the id is a UUID v7 from
   * the same `uuid` package as src/shared/ids.ts.
   */
  baseline(fastify, { databaseUrl }) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
    fastify.addHook('onClose', () => pool.end());
    fastify.post(
      '/v1/users',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['email', 'name'],
            properties: {
              email: { type: 'string', format: 'email', maxLength: 254 },
              name: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
        },
      },
      async (request, reply) => {
        const body = /** @type {{ email: string, name: string }} */ (request.body);
        const email = body.email.trim().toLowerCase();
        const name = body.name.trim();
        if (name.length === 0) return reply.code(400).send({ status: 400, code: 'VALIDATION_FAILED' });
        const id = uuidv7();
        const now = new Date();
        try {
          await pool.query(INSERT_USER, [id, email, name, 'user', now, now, null, 1]);
        } catch (error) {
          if (/** @type {{ code?: string }} */ (error).code !== '23505') throw error;
          return reply.code(409).send({ status: 409, code: 'USERS.EMAIL_TAKEN' });
        }
        // Like the app's async listener: started now, not awaited, a failure only logged.
        pool
          .query(INSERT_PROFILE, [id, 'en', 'UTC', now])
          .catch((error) => console.error(`profile for ${id}: ${error instanceof Error ? error.message : error}`));
        void reply.code(201).header('location', `/v1/users/${id}`).header('etag', '"1"');
        return { id, email, name, role: 'user' };
      },
    );
  },
};
