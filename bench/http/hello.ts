import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * The baseline of the HTTP bench: a bare NestJS (Express) hello-world in its own process.
 * GET /hello answers a small JSON object; POST /echo answers the parsed JSON body.
 * Readiness: GET /health/ready (same path as the service, so the bench treats both alike).
 */
@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string; at: number } {
    return { hello: 'world', at: Date.now() };
  }

  @Post('echo')
  @HttpCode(201)
  echo(@Body() body: unknown): unknown {
    return body;
  }

  @Get('health/ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(HelloModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
