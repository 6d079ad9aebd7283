import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who submitted a task (the authenticated user of the request), so the worker's log lines name them too. */
export class AddTaskSubmitter1796400000001 implements MigrationInterface {
  name = 'AddTaskSubmitter1796400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "submitted_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "submitted_by"`);
  }
}
