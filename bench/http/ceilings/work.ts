import { createSecretKey, KeyObject, randomBytes } from 'crypto';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { Pool } from 'pg';

/**
 * The minimum real work of the two hot routes (SPEC §11), shared by the Nest and the raw node:http
 * ceilings: verify the HS256 JWT like the service does (jsonwebtoken with a key object), then for a
 * status read one primary-key SELECT, for a join one Redis INCR+EXPIRE and one INSERT into a table
 * with the same unique partial index as queue_entries — every statement prepared (named).
 */

export const CEILING_TABLE = 'ceiling_entries';

/** Created by the bench in its scratch database before the ceilings start. */
export const CEILING_DDL = [
  `CREATE TABLE IF NOT EXISTS ${CEILING_TABLE} (
     id text PRIMARY KEY, tenant_id text NOT NULL, user_id text NOT NULL, pool_key text NOT NULL,
     time_control text NOT NULL, region text, status text NOT NULL, enqueued_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE UNIQUE INDEX IF NOT EXISTS ${CEILING_TABLE}_one_open ON ${CEILING_TABLE} (tenant_id, user_id)
     WHERE status IN ('SEARCHING', 'MATCHING')`,
];

const READ = {
  name: 'ceiling_read',
  text: `SELECT id, status, pool_key, rating, enqueued_at FROM queue_entries WHERE id = $1`,
};
const INSERT = {
  name: 'ceiling_join',
  text: `INSERT INTO ${CEILING_TABLE} (id, tenant_id, user_id, pool_key, time_control, region, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'SEARCHING')
         ON CONFLICT (tenant_id, user_id) WHERE status IN ('SEARCHING', 'MATCHING') DO NOTHING
         RETURNING id, status, enqueued_at`,
};

/** The same per-user minute counter as the service's join limiter. */
const RATE_WINDOW_S = 60;

export interface Claims {
  sub: string;
  tenant_id?: string;
}

export type Outcome = { status: number; body: unknown };

export class CeilingWork {
  private readonly pool: Pool;
  private readonly redis: Redis;
  private readonly key: KeyObject;
  private readonly prefix: string;

  constructor(env: NodeJS.ProcessEnv) {
    this.pool = new Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 20) });
    this.redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    this.key = createSecretKey(Buffer.from(env.JWT_SECRET ?? ''));
    this.prefix = env.REDIS_KEY_PREFIX ?? 'ceiling';
  }

  verify(authorization: string | undefined): Claims | null {
    if (!authorization?.startsWith('Bearer ')) return null;
    try {
      const claims = jwt.verify(authorization.slice(7), this.key as unknown as string, {
        algorithms: ['HS256'],
      }) as jwt.JwtPayload;
      return typeof claims.sub === 'string' ? { sub: claims.sub, tenant_id: claims.tenant_id } : null;
    } catch {
      return null;
    }
  }

  async read(authorization: string | undefined, id: string): Promise<Outcome> {
    if (!this.verify(authorization)) return { status: 401, body: { code: 'UNAUTHORIZED' } };
    const { rows } = await this.pool.query({ ...READ, values: [id] });
    return rows[0] ? { status: 200, body: rows[0] } : { status: 404, body: { code: 'NOT_FOUND' } };
  }

  async join(authorization: string | undefined, body: { time_control?: string; region?: string }): Promise<Outcome> {
    const claims = this.verify(authorization);
    if (!claims) return { status: 401, body: { code: 'UNAUTHORIZED' } };
    const tenant = claims.tenant_id ?? 'default';
    const counter = `${this.prefix}:ceiling:rl:${tenant}|${claims.sub}`;
    await this.redis.multi().incr(counter).expire(counter, RATE_WINDOW_S).exec();
    const id = `q_${randomBytes(12).toString('base64url')}`;
    const { rows } = await this.pool.query({
      ...INSERT,
      values: [id, tenant, claims.sub, `standard:${body.time_control}`, body.time_control, body.region ?? null],
    });
    return rows[0] ? { status: 201, body: rows[0] } : { status: 409, body: { code: 'ALREADY_IN_QUEUE' } };
  }

  async close(): Promise<void> {
    await this.pool.end();
    this.redis.disconnect();
  }
}
