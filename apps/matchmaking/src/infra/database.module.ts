import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Database, dataSourceOptions } from '@app/persistence';

/** TypeORM opens the pool (and is what the health check pings); repositories query it through Database. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.databasePoolSize),
        retryAttempts: 10,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    { provide: Database, inject: [DataSource], useFactory: (dataSource: DataSource) => Database.of(dataSource) },
  ],
  exports: [Database],
})
export class DatabaseModule {}
