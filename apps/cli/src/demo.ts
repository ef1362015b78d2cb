import { randomBytes } from 'crypto';
import { parseArgs } from 'util';
import { AppConfig } from '@app/config';
import { DemoFailure, DemoHttp, DemoOutput } from './demo/demo-http';
import { DEMO_STEPS, DemoContext, DemoPlayer } from './demo/demo-steps';
import { signingConfig, signToken, TokenError } from './token/sign-token';

const USAGE = `usage: npm run demo -- [--url http://127.0.0.1:3000] [--verbose] [--tenant T] [--timeout 30]

Plays a short session against a running service: two players join a queue and are matched (shown live
from the event stream), a result moves their ratings, a challenge is sent and accepted, and another
result moves them again. Exits 0 only if every step did what it says.
  --url U       the service (default http://127.0.0.1:3000)
  --verbose     print every HTTP call and its answer
  --tenant T    the players' tenant (default "default")
  --timeout S   seconds a step may wait for a match or a game (default 30)
Tokens are signed like npm run token: JWT_SECRET, else the development key (NODE_ENV defaults to
development here, as in npm run start:local). Results are posted with INTERNAL_API_KEY when it is set,
else with an admin token of the tenant.`;

/** A token lifetime that outlasts any demo run. */
const DEMO_TOKEN_TTL_SECONDS = 900;
const DEFAULT_TIMEOUT_SECONDS = 30;

export interface DemoOptions {
  url: string;
  tenant: string;
  timeoutMs: number;
  config: AppConfig;
  internalApiKey?: string;
}

function player(config: AppConfig, tenant: string, run: string, name: string): DemoPlayer {
  const userId = `demo-${run}-${name.toLowerCase()}`;
  const token = signToken(config, {
    userId,
    tenantId: tenant,
    username: name,
    roles: [],
    ttlSeconds: DEMO_TOKEN_TTL_SECONDS,
  });
  return { name, userId, auth: { token } };
}

/** Runs every step in order, printing each as it goes; true when all of them did what they say. */
export async function runDemo(options: DemoOptions, out: DemoOutput): Promise<boolean> {
  const run = randomBytes(3).toString('hex');
  const { config, tenant } = options;
  const resultAuth = options.internalApiKey
    ? { apiKey: options.internalApiKey }
    : {
        token: signToken(config, {
          userId: `demo-${run}-results`,
          tenantId: tenant,
          roles: ['admin'],
          ttlSeconds: DEMO_TOKEN_TTL_SECONDS,
        }),
      };
  const ctx: DemoContext = {
    http: new DemoHttp(options.url.replace(/\/+$/, ''), out),
    out,
    timeoutMs: options.timeoutMs,
    alice: player(config, tenant, run, 'Alice'),
    bob: player(config, tenant, run, 'Bob'),
    resultAuth,
    games: [],
    streams: [],
  };
  out.line(`Demo against ${ctx.http.baseUrl}: ${ctx.alice.userId} and ${ctx.bob.userId}, tenant "${tenant}"`);
  out.line(`(results are posted with ${options.internalApiKey ? 'INTERNAL_API_KEY' : 'an admin token'})\n`);
  try {
    for (const [i, step] of DEMO_STEPS.entries()) {
      out.line(`${i + 1}. ${step.title}`);
      try {
        out.line(`   ✓ ${await step.run(ctx)}`);
      } catch (error) {
        if (!(error instanceof DemoFailure)) throw error;
        out.line(`   ✗ ${error.message}`);
        out.line(`\nStopped at step ${i + 1} of ${DEMO_STEPS.length}.`);
        return false;
      }
    }
  } finally {
    ctx.streams.forEach((s) => s.close());
  }
  out.line(`\nAll ${DEMO_STEPS.length} steps did what they say.`);
  return true;
}

/** Exit codes: 0 every step passed, 1 a step failed or the key cannot sign, 2 bad arguments. */
async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:3000' },
        verbose: { type: 'boolean', short: 'v', default: false },
        tenant: { type: 'string', default: 'default' },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    console.error(`--timeout ${JSON.stringify(values.timeout)}: expected a whole number of seconds\n\n${USAGE}`);
    return 2;
  }
  const env: Record<string, string | undefined> = { NODE_ENV: 'development', ...process.env };
  try {
    const options = {
      url: values.url,
      tenant: values.tenant,
      timeoutMs: timeoutSeconds * 1000,
      config: signingConfig(env),
      internalApiKey: env.INTERNAL_API_KEY || undefined,
    };
    return (await runDemo(options, { verbose: values.verbose, line: (text) => console.log(text) })) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    console.error(`npm run demo: ${error.message}`);
    return error.badArgument ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
