import { parseArgs } from 'util';
import { checkTokenRequest, parseTtl, signingConfig, signToken, TokenError } from './token/sign-token';

const USAGE = `usage: npm run token -- <user_id> [--tenant T] [--username NAME] [--admin] [--operator] [--ttl 1h]

Prints a JWT the service accepts, signed with JWT_SECRET (or, under NODE_ENV=development only, the
development key that npm run start:local uses). Use it as "Authorization: Bearer <token>", in Swagger
UI's Authorize dialog at /docs, or as ?access_token=<token> for the event stream and the job dashboard.
  --tenant T       tenant_id claim (the service's default tenant is "default")
  --username NAME  username claim, shown to opponents
  --admin          role admin: /internal/* for the token's tenant
  --operator       role operator: the job dashboard at /internal/jobs
  --ttl D          lifetime: 90s, 15m, 1h (default), 7d`;

/** Exit codes: 0 printed a token, 1 cannot sign with this configuration, 2 bad arguments. */
function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        username: { type: 'string' },
        admin: { type: 'boolean', default: false },
        operator: { type: 'boolean', default: false },
        ttl: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`expected one user_id, got ${positionals.length}\n\n${USAGE}`);
    return 2;
  }
  try {
    const roles = [...(values.admin ? ['admin'] : []), ...(values.operator ? ['operator'] : [])];
    const ttlSeconds = parseTtl(values.ttl);
    const request = { userId: positionals[0], tenantId: values.tenant, username: values.username, roles, ttlSeconds };
    checkTokenRequest(request);
    process.stdout.write(`${signToken(signingConfig(process.env), request)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    console.error(`npm run token: ${error.message}`);
    return error.badArgument ? 2 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
