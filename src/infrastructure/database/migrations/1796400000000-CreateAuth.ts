import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: credentials, sessions with their refresh tokens, one-time tokens (password reset,
 * email verification), failed logins, and the revocations every API process listens for.
 *
 * A session dies by `revoked_at` being set or by its row being deleted (also through the
 * cascade from `users`); either way the trigger records it in `auth_revoked_sessions` and
 * sends `NOTIFY auth_session_revoked` on commit, so no code path can revoke a session
 * without every process hearing of it.
 */
export class CreateAuth1796400000000 implements MigrationInterface {
  name = 'CreateAuth1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE TABLE "auth_credentials" (
        "user_id" uuid PRIMARY KEY REFERENCES "users"("id") ON DELETE CASCADE,
        "password_hash" character varying(512) NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "auth_sessions" (
        "id" uuid PRIMARY KEY,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "user_agent" character varying(512),
        "ip" character varying(64),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" character varying(32))`,
    );
    await queryRunner.query(`CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "auth_sessions_expires_at_idx" ON "auth_sessions" ("expires_at")`);
    await queryRunner.query(
      `CREATE TABLE "auth_refresh_tokens" (
        "token_hash" bytea PRIMARY KEY,
        "session_id" uuid NOT NULL REFERENCES "auth_sessions"("id") ON DELETE CASCADE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "rotated_at" TIMESTAMP WITH TIME ZONE)`,
    );
    await queryRunner.query(
      `CREATE INDEX "auth_refresh_tokens_session_id_idx" ON "auth_refresh_tokens" ("session_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "auth_one_time_tokens" (
        "id" uuid PRIMARY KEY,
        "token_hash" bytea NOT NULL UNIQUE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "purpose" character varying(32) NOT NULL CHECK ("purpose" IN ('password_reset', 'email_verification')),
        "email" character varying(254) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE)`,
    );
    await queryRunner.query(`CREATE INDEX "auth_one_time_tokens_user_id_idx" ON "auth_one_time_tokens" ("user_id")`);
    await queryRunner.query(
      `CREATE TABLE "auth_login_failures" (
        "id" bigserial PRIMARY KEY,
        "account_key" character varying(64) NOT NULL,
        "address" character varying(64) NOT NULL,
        "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "auth_login_failures_account_idx" ON "auth_login_failures" ("account_key", "failed_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "auth_login_failures_address_idx" ON "auth_login_failures" ("address", "failed_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "auth_revoked_sessions" (
        "session_id" uuid PRIMARY KEY,
        "revoked_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "auth_revoked_sessions_revoked_at_idx" ON "auth_revoked_sessions" ("revoked_at")`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "auth_session_ended"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           IF OLD.revoked_at IS NULL THEN
             INSERT INTO auth_revoked_sessions (session_id, revoked_at) VALUES (OLD.id, now()) ON CONFLICT DO NOTHING;
             PERFORM pg_notify('auth_session_revoked', OLD.id::text);
           END IF;
           RETURN OLD;
         END IF;
         IF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
           INSERT INTO auth_revoked_sessions (session_id, revoked_at) VALUES (NEW.id, NEW.revoked_at) ON CONFLICT DO NOTHING;
           PERFORM pg_notify('auth_session_revoked', NEW.id::text);
         END IF;
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "auth_sessions_ended" AFTER UPDATE OF "revoked_at" OR DELETE ON "auth_sessions"
       FOR EACH ROW EXECUTE FUNCTION "auth_session_ended"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "auth_sessions_ended" ON "auth_sessions"`);
    await queryRunner.query(`DROP FUNCTION "auth_session_ended"()`);
    await queryRunner.query(`DROP TABLE "auth_revoked_sessions"`);
    await queryRunner.query(`DROP TABLE "auth_login_failures"`);
    await queryRunner.query(`DROP TABLE "auth_one_time_tokens"`);
    await queryRunner.query(`DROP TABLE "auth_refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "auth_sessions"`);
    await queryRunner.query(`DROP TABLE "auth_credentials"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
