import { Credentials, DemoFailure, DemoHttp, DemoOutput } from './demo-http';
import { EventStream, StreamEvent } from './event-stream';

export interface DemoPlayer {
  name: string;
  userId: string;
  auth: Credentials;
}

export interface DemoGame {
  gameId: string;
  white: DemoPlayer;
  black: DemoPlayer;
}

/** What the steps share: the players, who may post results, and the games created so far. */
export interface DemoContext {
  http: DemoHttp;
  out: DemoOutput;
  timeoutMs: number;
  alice: DemoPlayer;
  bob: DemoPlayer;
  resultAuth: Credentials;
  games: DemoGame[];
  streams: EventStream[];
}

/** One thing the demo shows; `run` returns the line that says it happened, or throws a DemoFailure. */
export interface DemoStep {
  title: string;
  run(ctx: DemoContext): Promise<string>;
}

const QUEUE = '/v1/matchmaking/queue';
const CHALLENGES = '/v1/matchmaking/challenges';
/** 3+2 and 5+0 are both blitz, so the second game moves the ratings the first one set. */
const CATEGORY = 'blitz';
/** How often a step re-reads state it cannot stream (a challenge's game id). */
const POLL_MS = 200;

const call = (ctx: DemoContext, status: number, method: string, path: string, who: DemoPlayer, body?: unknown) =>
  ctx.http.expect(status, method, path, who.auth, body, who.name);

async function blitzRating(ctx: DemoContext, who: DemoPlayer): Promise<number> {
  const me = await call(ctx, 200, 'GET', '/v1/players/me', who);
  return me.ratings?.[CATEGORY]?.rating ?? 1500;
}

function describeEntry(name: string, e: any): string {
  if (e.status === 'MATCHING') {
    return `${name}'s entry is MATCHING: paired with ${e.opponent?.username ?? e.opponent?.user_id} (${e.opponent?.rating_snapshot?.rating}), ${name} plays ${e.color}`;
  }
  if (e.status === 'MATCHED') return `${name}'s entry is MATCHED: game ${e.game_id}`;
  return `${name}'s entry is ${e.status}${e.ended_reason ? ` (${e.ended_reason})` : ''}`;
}

const ready: DemoStep = {
  title: 'The service is up',
  async run(ctx) {
    await ctx.http.expect(200, 'GET', '/health/ready', null);
    return 'GET /health/ready: PostgreSQL and Redis are reachable';
  },
};

const queueMatch: DemoStep = {
  title: 'Alice and Bob join the 3+2 rated queue and are matched',
  async run(ctx) {
    const { alice, bob } = ctx;
    const join = { time_control: '3+2', mode: 'rated' };
    const a = await call(ctx, 201, 'POST', QUEUE, alice, join);
    ctx.out.line(
      `   ${alice.name} joined: entry ${a.queue_entry_id}, ${a.status}, pool ${a.pool_key}, rating ${a.rating}`,
    );
    const stream = await EventStream.open(ctx.http, `${QUEUE}/${a.queue_entry_id}/events`, alice.auth, (e) =>
      ctx.out.line(`   live: ${describeEntry(alice.name, e.data)}`),
    );
    ctx.streams.push(stream);
    const b = await call(ctx, 201, 'POST', QUEUE, bob, join);
    ctx.out.line(`   ${bob.name} joined: entry ${b.queue_entry_id}, ${b.status}`);
    const matched: StreamEvent = await stream.until(
      (e) => e.data?.status === 'MATCHED' || ['CANCELLED', 'TIMED_OUT'].includes(e.data?.status),
      ctx.timeoutMs,
      `${alice.name}'s entry MATCHED`,
    );
    if (matched.data.status !== 'MATCHED') throw new DemoFailure(describeEntry(alice.name, matched.data));
    const bobs = await call(ctx, 200, 'GET', `${QUEUE}/${b.queue_entry_id}`, bob);
    if (bobs.status !== 'MATCHED' || bobs.game_id !== matched.data.game_id) {
      throw new DemoFailure(
        `${bob.name}'s entry is ${bobs.status} with game ${bobs.game_id}, not ${matched.data.game_id}`,
      );
    }
    const aliceWhite = matched.data.color === 'white';
    const game = { gameId: matched.data.game_id, white: aliceWhite ? alice : bob, black: aliceWhite ? bob : alice };
    ctx.games.push(game);
    return `game ${game.gameId} created: ${game.white.name} (white) vs ${game.black.name} (black)`;
  },
};

const challenge: DemoStep = {
  title: 'Bob challenges Alice to a 5+0 rated game, with white; she accepts',
  async run(ctx) {
    const { alice, bob } = ctx;
    const sent = await call(ctx, 201, 'POST', CHALLENGES, bob, {
      opponent_user_id: alice.userId,
      time_control: '5+0',
      mode: 'rated',
      preferred_color: 'white',
    });
    ctx.out.line(`   ${bob.name} sent challenge ${sent.challenge_id}: ${sent.status}, expires ${sent.expires_at}`);
    const incoming: any[] = await call(ctx, 200, 'GET', `${CHALLENGES}/incoming`, alice);
    if (!incoming.some((c) => c.challenge_id === sent.challenge_id)) {
      throw new DemoFailure(`challenge ${sent.challenge_id} is not among ${alice.name}'s incoming challenges`);
    }
    ctx.out.line(`   ${alice.name} sees it among her ${incoming.length} incoming challenge(s)`);
    let accepted = await call(ctx, 200, 'POST', `${CHALLENGES}/${sent.challenge_id}/accept`, alice);
    const deadline = Date.now() + ctx.timeoutMs;
    while (accepted.status === 'ACCEPTED' && !accepted.game_id && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      accepted = await call(ctx, 200, 'GET', `${CHALLENGES}/${sent.challenge_id}`, alice);
    }
    if (accepted.status !== 'ACCEPTED' || !accepted.game_id) {
      throw new DemoFailure(`challenge ${sent.challenge_id} is ${accepted.status} without a game`);
    }
    ctx.games.push({ gameId: accepted.game_id, white: bob, black: alice });
    return `challenge ${accepted.challenge_id} ACCEPTED: game ${accepted.game_id}, ${bob.name} (white) vs ${alice.name} (black)`;
  },
};

/** Posts the latest game's result as the live-game API would, and checks both players' ratings moved. */
function result(outcome: 'white' | 'black' | 'draw', says: string): DemoStep {
  return {
    title: `The game ends (${says}) and both ${CATEGORY} ratings move`,
    async run(ctx) {
      const game = ctx.games[ctx.games.length - 1];
      const before = [await blitzRating(ctx, game.white), await blitzRating(ctx, game.black)];
      const posted = await ctx.http.expect(
        200,
        'POST',
        `/internal/games/${encodeURIComponent(game.gameId)}/result`,
        ctx.resultAuth,
        { result: outcome },
        'the live-game API',
      );
      if (!posted.recorded) ctx.out.line(`   (the result of ${game.gameId} was already recorded: ${posted.result})`);
      const after = [await blitzRating(ctx, game.white), await blitzRating(ctx, game.black)];
      const moves = [game.white, game.black].map((p, i) => `${p.name} ${before[i]} → ${after[i]}`).join(', ');
      if (after[0] === before[0] || after[1] === before[1]) throw new DemoFailure(`a rating did not move: ${moves}`);
      return `result ${posted.result} recorded; ${moves}`;
    },
  };
}

/** The demo, in order. A later step reads what an earlier one left in the context (the latest game). */
export const DEMO_STEPS: DemoStep[] = [
  ready,
  queueMatch,
  result('white', 'white wins'),
  challenge,
  result('draw', 'a draw'),
];
