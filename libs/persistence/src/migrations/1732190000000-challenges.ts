import { MigrationInterface, QueryRunner } from 'typeorm';

export class Challenges1732190000000 implements MigrationInterface {
  name = 'Challenges1732190000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
