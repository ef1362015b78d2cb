import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ControlController } from './control.controller';
import { GamesController } from './games.controller';
import { GamesService } from './games.service';
import { HealthController } from './health.controller';
import { HttpExceptionFilter } from './http-exception.filter';
import { RequestLoggerMiddleware } from './request-logger.middleware';
import { ResultPoster } from './result-poster';
import { SettingsService, STUB_INITIAL_SETTINGS } from './settings.service';
import { StubSettings } from './stub-settings';

@Module({})
export class LiveGameStubModule implements NestModule {
  static forRoot(settings: StubSettings): DynamicModule {
    return {
      module: LiveGameStubModule,
      controllers: [GamesController, ControlController, HealthController],
      providers: [
        { provide: STUB_INITIAL_SETTINGS, useValue: settings },
        SettingsService,
        GamesService,
        ResultPoster,
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggerMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
