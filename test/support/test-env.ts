import { randomBytes } from 'crypto';
import { Client } from 'pg';

/** PostgreSQL server and Redis db of the test run (.ci/run picks its own; defaults suit this machine). */
export const pgServerUrl = () => process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432';
export const redisBaseUrl = () => process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379/11';
export const runId = () => process.env.TEST_RUN_ID || 'local';
export const adminUrl = () => `${pgServerUrl()}/postgres`;
export const databaseUrl = (name: string) => `${pgServerUrl()}/${name}`;

export interface TestStorage {
  databaseUrl: string;
  databaseName: string;
  redisUrl: string;
  redisKeyPrefix: string;
}

/** A database cloned from the run's migrated template and a Redis key prefix, both unique to the caller. */
export async function createTestStorage(): Promise<TestStorage> {
  const suffix = randomBytes(5).toString('hex');
  const name = `mm_t${suffix}_${runId()}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE mm_tpl_${runId()}`);
  } finally {
    await admin.end();
  }
  return {
    databaseUrl: databaseUrl(name),
    databaseName: name,
    redisUrl: redisBaseUrl(),
    redisKeyPrefix: `t${runId()}${suffix}`,
  };
}
