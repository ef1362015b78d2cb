import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GamesService } from './games.service';

/** The fake of the live-game API: `POST /v1/games`. */
@Controller('v1/games')
export class GamesController {
  constructor(private readonly games: GamesService) {}

  @Post()
  async create(
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await this.games.createGame({
      idempotencyKey: idempotencyKey?.trim() || null,
      authorization: authorization ?? null,
      body,
    });
    if (answer.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  }
}
