import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put, Query } from '@nestjs/common';
import { FinishGameDto, UpdateControlDto } from './control.dto';
import { GamesService } from './games.service';
import { GameRecord, GameRequestRecord } from './games.types';
import { ResultPoster } from './result-poster';
import { SettingsService } from './settings.service';
import { ControlView, StubSettings, toControlView } from './stub-settings';

/** Runtime control and inspection of the stub (for development and tests). */
@Controller('control')
export class ControlController {
  constructor(
    private readonly settings: SettingsService,
    private readonly games: GamesService,
    private readonly resultPoster: ResultPoster,
  ) {}

  @Get()
  get(): ControlView {
    return toControlView(this.settings.get());
  }

  @Put()
  update(@Body() dto: UpdateControlDto): ControlView {
    return toControlView(this.settings.update(toPatch(dto)));
  }

  @Get('requests')
  requests(@Query('idempotency_key') idempotencyKey?: string): GameRequestRecord[] {
    return this.games.listRequests(idempotencyKey);
  }

  @Get('games')
  listGames(): GameRecord[] {
    return this.games.listGames();
  }

  @Get('games/:gameId')
  getGame(@Param('gameId') gameId: string): GameRecord {
    return this.findGame(gameId);
  }

  /** Finishes a game now (result from the body, else fixed_result, else random) and waits for the post. */
  @Post('games/:gameId/finish')
  @HttpCode(200)
  async finish(@Param('gameId') gameId: string, @Body() dto: FinishGameDto): Promise<GameRecord> {
    const game = this.findGame(gameId);
    await this.resultPoster.finish(game, dto?.result ?? null);
    return game;
  }

  /** Clears requests and games, cancels pending result posts, and restores the start-up settings. */
  @Post('reset')
  @HttpCode(200)
  reset(): ControlView {
    this.games.clear();
    return toControlView(this.settings.reset());
  }

  private findGame(gameId: string): GameRecord {
    const game = this.games.findGame(gameId);
    if (!game) throw new NotFoundException(`no game ${gameId}`);
    return game;
  }
}

function toPatch(dto: UpdateControlDto): Partial<StubSettings> {
  const patch: Partial<StubSettings> = {};
  if (dto.latency_ms !== undefined) patch.latencyMs = dto.latency_ms;
  if (dto.failure_rate !== undefined) patch.failureRate = dto.failure_rate;
  if (dto.failure_status !== undefined) patch.failureStatus = dto.failure_status;
  if (dto.down !== undefined) patch.down = dto.down;
  if (dto.down_mode !== undefined) patch.downMode = dto.down_mode;
  if (dto.fail_next !== undefined) patch.failNext = { count: dto.fail_next.count, status: dto.fail_next.status ?? 500 };
  if (dto.finish_after_ms !== undefined) patch.finishAfterMs = dto.finish_after_ms;
  if (dto.result_url !== undefined) patch.resultUrl = dto.result_url;
  if (dto.result_api_key !== undefined) patch.resultApiKey = dto.result_api_key;
  if (dto.fixed_result !== undefined) patch.fixedResult = dto.fixed_result;
  if (dto.result_max_attempts !== undefined) patch.resultMaxAttempts = dto.result_max_attempts;
  if (dto.result_retry_base_ms !== undefined) patch.resultRetryBaseMs = dto.result_retry_base_ms;
  if (dto.required_token !== undefined) patch.requiredToken = dto.required_token;
  if (dto.log !== undefined) patch.log = dto.log;
  return patch;
}
