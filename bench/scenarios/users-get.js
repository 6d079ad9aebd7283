import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { adminAccessToken, bearer } from '../lib/auth.js';

/** Rows seeded before the run; the load reads all of them in turn, not one hot row. */
const USERS = 10_000;

/**
 * The app's pool: DATABASE_POOL_SIZE, 10 unless `--app-env DATABASE_POOL_SIZE=...` changes it
 * (src/infrastructure/config/env.schema.ts); change both together.
 */
export const POOL_SIZE = 10;

/**
 * The statement the app sends in TypeOrmUserRepository.findById: every column, by primary key,
 * through the extended protocol without a named prepared statement, as `pool.query(text,
 * values)` does. Only the column aliases are left out; they change nothing in the plan or rows.
 */
const SELECT_USER =
  'SELECT id, email, name, role, created_at, updated_at, email_verified_at, version FROM users WHERE id = $1';

/**
 * A read by primary key through the whole app (versioned route, throttler guard, the
 * authentication guard with an admin's token, request logging, the UUID validation
 * pipe, the query bus, TypeORM and the domain mapper) against the same SELECT from a bare
 * Fastify route. Both read the same 10,000 rows in the same order.
 * @type {import('./index.js').Scenario}
 */
export default {
  name: 'users-get',
  title: `GET /v1/users/:id over ${USERS.toLocaleString('en-US')} seeded users vs plain Fastify + pg SELECT`,
  targetRatio: 0.5,
  maxP99Ms: 50,
  app: { method: 'GET', path: '/v1/users/00000000-0000-7000-8000-000000000000' }, // replaced by prepare()
  /**
   * Seeds the users in one statement, once the app has run its migrations (it answers its
   * liveness probe only after they ran), then reads every row in turn, on both sides alike, as
   * an admin, who may read every user.
   */
  async prepare({ databaseUrl, appUrl }) {
    const credentials = bearer(await adminAccessToken(appUrl, databaseUrl));
    const ids = Array.from({ length: USERS }, () => uuidv7());
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO users (id, email, name, role, created_at, updated_at, version)
         SELECT seed.id, 'get-' || seed.n || '@example.com', 'Bench User ' || seed.n, 'user', now(), now(), 1
         FROM unnest($1::uuid[]) WITH ORDINALITY AS seed (id, n)`,
        [ids],
      );
      // Fresh statistics now, rather than autovacuum's ANALYZE landing in the middle of a round.
      await client.query('ANALYZE users');
    } finally {
      await client.end();
    }
    const paths = ids.map((id) => `/v1/users/${id}`);
    return { app: { method: 'GET', path: paths[0], paths, headers: credentials } };
  },
  /**
   * The same SELECT, the same pool size and the same answer (body and ETag). The id is checked
   * by a route schema, Fastify's own way, as the app's ParseIdPipe checks it.
   */
  baseline(fastify, { databaseUrl }) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
    fastify.addHook('onClose', () => pool.end());
    fastify.get(
      '/v1/users/:id',
      {
        schema: {
          params: {
            type: 'object',
            properties: { id: { type: 'string', format: 'uuid' } },
            required: ['id'],
          },
        },
      },
      async (request, reply) => {
        const { id } = /** @type {{ id: string }} */ (request.params);
        const { rows } = await pool.query(SELECT_USER, [id]);
        const user = rows[0];
        if (!user) return reply.code(404).send({ status: 404, code: 'USERS.NOT_FOUND' });
        void reply.header('etag', `"${user.version}"`);
        return { id: user.id, email: user.email, name: user.name, role: user.role };
      },
    );
  },
};
