import createClient, { type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

/** A typed client of the matchmaking API (openapi-fetch over the generated `paths`). */
export function createMatchmakingClient(options: ClientOptions) {
  return createClient<paths>(options);
}

export type MatchmakingClient = ReturnType<typeof createMatchmakingClient>;
