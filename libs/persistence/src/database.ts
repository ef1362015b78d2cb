import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A statement with a name is prepared once per connection and then only bound and executed, so the
 * hot paths skip PostgreSQL's parse and plan. The name must be unique to the text.
 */
export interface Statement {
  name: string;
  text: string;
}

export type SqlText = string | Statement;

const UNIQUE_VIOLATION = '23505';

const config = (sql: SqlText, values: unknown[]): QueryConfig =>
  typeof sql === 'string' ? { text: sql, values } : { name: sql.name, text: sql.text, values };

/** The PostgreSQL error code of a failed statement (pg's DatabaseError, or TypeORM's wrapper of it). */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (error: unknown): boolean => pgErrorCode(error) === UNIQUE_VIOLATION;

/**
 * The one way the service talks SQL: every statement kind answers rows (or their count), so a
 * SELECT, an INSERT … RETURNING and an UPDATE … RETURNING read alike.
 */
export class Sql {
  constructor(protected readonly client: Pool | PoolClient) {}

  async rows<T = Record<string, any>>(sql: SqlText, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(config(sql, params))).rows as T[];
  }

  async one<T = Record<string, any>>(sql: SqlText, params: unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(sql, params))[0] ?? null;
  }

  /** Rows a statement without RETURNING touched. */
  async count(sql: SqlText, params: unknown[] = []): Promise<number> {
    return (await this.client.query(config(sql, params))).rowCount ?? 0;
  }
}

/** The connection pool; `transaction` hands a connection-bound Sql to the work and commits or rolls back. */
export class Database extends Sql {
  constructor(private readonly pool: Pool) {
    super(pool);
  }

  /** Shares the pool TypeORM opened, so migrations, health checks and queries use one set of connections. */
  static of(dataSource: DataSource): Database {
    return new Database((dataSource.driver as unknown as { master: Pool }).master);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(new Sql(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
