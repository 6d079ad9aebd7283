import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Circuit breakers shared by every process when there is no Redis: a row per circuit that is
 * counting failures or is open (closed circuits with no failures have no row). Times are
 * epoch milliseconds, compared with the callers' clocks.
 */
export class CreateCircuitBreakers1796500000002 implements MigrationInterface {
  name = 'CreateCircuitBreakers1796500000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "circuit_breakers" (
        "key" character varying(300) PRIMARY KEY,
        "failures" integer NOT NULL,
        "opened_until_ms" bigint,
        "trial_until_ms" bigint,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "circuit_breakers_open_idx" ON "circuit_breakers" ("key") WHERE "opened_until_ms" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "circuit_breakers"`);
  }
}
