import 'reflect-metadata';
import { Body, Controller, Get, Headers, HttpCode, Module, Param, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { CeilingWork } from './work';

/**
 * The Nest (Express) ceiling of SPEC §11: the service's two hot routes, on the same paths, doing only
 * their minimum real work (./work.ts). Everything else the service adds (guards, pipes, the problem
 * filter, request ids, metrics, logs) is what the share of this ceiling measures.
 */
const work = new CeilingWork(process.env);

@Controller()
class CeilingController {
  @Get('v1/matchmaking/queue/:id')
  async read(
    @Param('id') id: string,
    @Headers('authorization') auth: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const out = await work.read(auth, id);
    res.status(out.status);
    return out.body;
  }

  @Post('v1/matchmaking/queue')
  @HttpCode(201)
  async join(
    @Body() body: { time_control?: string; region?: string },
    @Headers('authorization') auth: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const out = await work.join(auth, body);
    res.status(out.status);
    return out.body;
  }

  @Get('health/ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [CeilingController] })
class CeilingModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(CeilingModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3101), process.env.HOST ?? '127.0.0.1');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => void work.close().finally(() => process.exit(0)));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
