import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SettingsService } from './settings.service';

/** One JSON line per request on stdout, only while `log` is on (STUB_LOG=true or PUT /control {"log": true}). */
@Injectable()
export class RequestLoggerMiddleware implements NestMiddleware {
  constructor(private readonly settings: SettingsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!this.settings.get().log) return next();
    const started = process.hrtime.bigint();
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const line = {
        time: new Date().toISOString(),
        service: 'live-game-stub',
        method: req.method,
        path: req.originalUrl,
        status: res.headersSent ? res.statusCode : null,
        duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        idempotency_key: req.headers['idempotency-key'] ?? undefined,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    };
    res.on('finish', log);
    res.on('close', log);
    next();
  }
}
