import { Client } from 'pg';
import { migrate } from '../../libs/persistence/src/migrate';
import { adminUrl, databaseUrl, runId } from './test-env';

/** One migrated template database per test run; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID = process.env.TEST_RUN_ID || `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `mm_tpl_${runId()}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.end();
  await migrate(databaseUrl(template), () => undefined);
}
