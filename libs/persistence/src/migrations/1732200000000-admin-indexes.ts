import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminIndexes1732200000000 implements MigrationInterface {
  name = 'AdminIndexes1732200000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
