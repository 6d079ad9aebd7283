import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints: where a user's deliveries go, and the secret(s) they are signed with,
 * encrypted at rest (AES-256-GCM under WEBHOOK_ENCRYPTION_KEY). During a rotation the
 * previous secret still signs until `previous_secret_expires_at`.
 */
export class CreateWebhookEndpoints1796500000001 implements MigrationInterface {
  name = 'CreateWebhookEndpoints1796500000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" (
        "id" uuid PRIMARY KEY,
        "owner_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "url" character varying(2048) NOT NULL,
        "description" character varying(500) NOT NULL DEFAULT '',
        "secret_ciphertext" text NOT NULL,
        "previous_secret_ciphertext" text,
        "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "webhook_endpoints_owner_id_idx" ON "webhook_endpoints" ("owner_id", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
