import { DataSource } from 'typeorm';
import { dataSourceOptions } from './libs/persistence/src/data-source-options';

/** The DataSource for the TypeORM CLI (e.g. `npx typeorm migration:show -d dist/ormconfig.js`). */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/matchmaking'),
);
