/**
 * Where the application's PostgreSQL is. Resolved once at bootstrap (an external
 * `DATABASE_URL`, or the embedded development server) and provided to TypeORM and the
 * queue backend, so both share one database.
 */
export class DatabaseEndpoint {
  constructor(
    readonly url: string,
    /** `external` or `embedded`, for the startup log and readiness details. */
    readonly kind: 'external' | 'embedded',
  ) {}
}
