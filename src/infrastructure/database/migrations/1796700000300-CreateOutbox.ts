import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: integration events written in the transaction of the change that
 * causes them, relayed to their listeners afterwards (`src/infrastructure/outbox/`). The relay
 * finds due rows through a partial index that holds only the unrelayed ones, and the retention
 * sweep finds old relayed rows through another that holds only those.
 */
export class CreateOutbox1796700000300 implements MigrationInterface {
  name = 'CreateOutbox1796700000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox_events" (
        "id" uuid NOT NULL,
        "name" character varying(200) NOT NULL,
        "payload" jsonb NOT NULL,
        "request_id" character varying(128),
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" character varying(100),
        "relayed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_outbox_events" PRIMARY KEY ("id")
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_due_idx" ON "outbox_events" ("next_attempt_at") WHERE "relayed_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_relayed_at_idx" ON "outbox_events" ("relayed_at") WHERE "relayed_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_events_relayed_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_due_idx"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
  }
}
