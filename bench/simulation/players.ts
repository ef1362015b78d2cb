import { sleep } from '../support/harness';
import { SimClient } from './client';
import { formParty } from './parties';
import { SimPlayer } from './roster';
import { exp, SimSettings, TERMINAL } from './settings';

/** How the load came to follow an entry: its own 201, GET /active after a lost answer, or a 409's existing id. */
export type Acceptance = 'created' | 'recovered' | 'adopted';

export interface Load {
  client: SimClient;
  random: () => number;
  settings: SimSettings;
  endAt: number;
  /** entry id → how the load learnt of it; every id here is a join the service accepted */
  accepted: Map<string, Acceptance>;
  lives: Promise<void>[];
}

/** Players arrive (Poisson), join, watch their entry (poll or SSE), play, rest and come back until endAt. */
export function startLoad(
  client: SimClient,
  roster: SimPlayer[],
  random: () => number,
  settings: SimSettings,
  endAt: number,
): { load: Load; done: Promise<void> } {
  const load: Load = { client, random, settings, endAt, accepted: new Map(), lives: [] };
  const arrivals = (async () => {
    const order = roster.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    // a party's partner never queues: the leader's life queues both
    for (const p of order.filter((x) => !x.follower)) {
      await nap(load, exp(random, 1000 / Math.max(settings.arrivalRate, 1e-6)));
      if (!running(load)) break;
      load.lives.push(live(load, p));
    }
  })();
  const done = arrivals.then(async () => {
    // lives keep being added until arrivals stop; wait for all of them
    await Promise.all(load.lives);
  });
  return { load, done };
}

/** How often an open event stream checks whether the run is over. */
const END_CHECK_MS = 250;
const running = (load: Load) => Date.now() < load.endAt;
/** Sleeps, but never past the end of the run: nobody keeps the report waiting. */
const nap = (load: Load, ms: number) => sleep(Math.max(0, Math.min(ms, load.endAt - Date.now())));

/** POST /queue; finds out what happened to a join whose answer was lost, as a real client would. */
async function join(load: Load, p: SimPlayer): Promise<string | null> {
  const { client } = load;
  const c = client.counters;
  const partyId = p.partner ? await formParty(load.client, p) : null;
  if (p.partner && !partyId) return null;
  c.joinAttempts++;
  const body: Record<string, unknown> = { time_control: p.tc };
  if (p.region) body.region = p.region;
  if (p.format !== '1v1') body.format = p.format;
  if (partyId) body.party_id = partyId;
  const res = await client.request('POST', '/v1/matchmaking/queue', p.auth, body);
  if (res.status === 201) return accept(load, p, res.json.queue_entry_id, 'created');
  if (res.status === 409 && res.json?.code === 'ALREADY_IN_QUEUE' && res.json.queue_entry_id) {
    c.alreadyInQueue409++;
    const id: string = res.json.queue_entry_id;
    // our own entry we lost track of (a stream that broke), or a join whose answer never came back
    if (p.seen.has(id)) return id;
    c.adoptedJoins++;
    return accept(load, p, id, 'adopted');
  }
  if (res.status === 0 || res.status >= 500) {
    const active = await client.request('GET', '/v1/matchmaking/active', p.auth);
    const entry = active.json?.queue_entry;
    if (active.status === 200 && entry && !p.seen.has(entry.queue_entry_id) && !TERMINAL.has(entry.status)) {
      c.recoveredJoins++;
      return accept(load, p, entry.queue_entry_id, 'recovered');
    }
  }
  if (res.status === 409 && res.json?.code === 'ACTIVE_GAME_EXISTS') c.activeGame409++;
  else c.otherJoinErrors++;
  return null;
}

function accept(load: Load, p: SimPlayer, id: string, how: Acceptance): string {
  p.seen.add(id);
  load.client.counters.accepted++;
  load.client.counters.acceptedMembers += p.partner ? 2 : 1;
  load.accepted.set(id, how);
  return id;
}

/** One player's life from first arrival to the end of the run. */
async function live(load: Load, p: SimPlayer): Promise<void> {
  const { settings, random } = load;
  const c = load.client.counters;
  const useStream = settings.watchMode === 'sse' || (settings.watchMode === 'mixed' && random() < 0.5);
  while (running(load)) {
    const id = await join(load, p);
    if (!id) {
      // 409 ACTIVE_GAME_EXISTS: the last game has no result yet; anything else: the service is struggling
      await nap(load, 1000);
      continue;
    }
    c.waiting++;
    const cancelAt = random() < settings.cancelShare ? Date.now() + 2000 + random() * 13_000 : Infinity;
    const outcome = useStream
      ? await watchByStream(load, p, id, cancelAt)
      : await watchByPolling(load, p, id, cancelAt);
    c.waiting--;
    if (outcome === 'MATCHED') {
      c.matchedSeen++;
      c.inGame++;
      await nap(load, settings.gameMinMs);
      c.inGame--;
    } else if (outcome === 'TIMED_OUT') {
      c.timedOutSeen++;
    } else if (!TERMINAL.has(outcome)) {
      // lost sight of the entry (stream broke, service down): look again soon, the next join finds it
      await nap(load, 1000);
      continue;
    }
    if (!running(load)) break;
    await nap(load, exp(random, settings.thinkS * 1000));
  }
}

/** Poll the entry until a terminal state (or the end of the run); cancels at cancelAt when still SEARCHING. */
async function watchByPolling(load: Load, p: SimPlayer, id: string, cancelAt: number): Promise<string> {
  const { client, random, settings } = load;
  let outcome = 'SEARCHING';
  while (running(load)) {
    await nap(load, settings.pollMs * (0.75 + random() * 0.5));
    if (!running(load)) break;
    if (Date.now() >= cancelAt && outcome === 'SEARCHING') {
      if (await cancel(load, p, id)) return 'CANCELLED';
      cancelAt = Infinity;
    }
    client.counters.polls++;
    const got = await client.request('GET', `/v1/matchmaking/queue/${id}`, p.auth);
    if (got.status !== 200) {
      client.counters.pollErrors++;
      continue;
    }
    outcome = got.json.status;
    if (TERMINAL.has(outcome)) break;
  }
  return outcome;
}

/** Follow GET /queue/{id}/events until a terminal event (the server closes the stream) or the end of the run. */
async function watchByStream(load: Load, p: SimPlayer, id: string, cancelAt: number): Promise<string> {
  const { client } = load;
  let outcome = 'SEARCHING';
  const abort = new AbortController();
  // endAt may move (the chaos soak extends the load until its last repair): look at it, do not schedule it
  const stopAtEnd = setInterval(() => running(load) || abort.abort(), END_CHECK_MS);
  const cancelTimer = Number.isFinite(cancelAt)
    ? setTimeout(() => void (outcome === 'SEARCHING' && cancel(load, p, id)), Math.max(0, cancelAt - Date.now()))
    : null;
  try {
    while (running(load) && !TERMINAL.has(outcome)) {
      client.counters.streams++;
      try {
        const res = await fetch(`${client.baseUrl}/v1/matchmaking/queue/${id}/events`, {
          headers: { authorization: p.auth },
          signal: abort.signal,
        });
        if (res.status !== 200 || !res.body) {
          client.countError(`SSE ${res.status}`);
          client.note('SSE', `/v1/matchmaking/queue/${id}/events`, res.status, null);
          await res.body?.cancel();
          await nap(load, 1000);
          continue;
        }
        outcome = await readEvents(res.body, outcome);
        // stream ended: after a terminal event the server closes it; otherwise reconnect
      } catch (error) {
        if (abort.signal.aborted) break;
        client.counters.httpErrors++;
        client.countError(`SSE ${error instanceof Error ? error.message : String(error)}`);
        await nap(load, 1000);
      }
    }
  } finally {
    clearInterval(stopAtEnd);
    if (cancelTimer) clearTimeout(cancelTimer);
  }
  return outcome;
}

async function readEvents(body: AsyncIterable<Uint8Array>, last: string): Promise<string> {
  let outcome = last;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      if (data) outcome = JSON.parse(data).status;
    }
  }
  return outcome;
}

async function cancel(load: Load, p: SimPlayer, id: string): Promise<boolean> {
  const c = load.client.counters;
  c.cancelRequests++;
  const del = await load.client.request('DELETE', `/v1/matchmaking/queue/${id}`, p.auth);
  if (del.status === 200) {
    c.cancelled++;
    return true;
  }
  if (del.status === 409) c.cancelTooLate++;
  return false;
}
