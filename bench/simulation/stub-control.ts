import { sleep } from '../support/harness';

/** PUT /control on the live-game stub; throws on a refused body so a typo in a setting is loud. */
export async function stubControl(stubUrl: string, body: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${stubUrl}/control`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`PUT /control → ${r.status} ${await r.text()}`);
}

/** Games last gameMin–gameMax ms: the stub's finish delay is re-drawn every half second until endAt. */
export async function varyGameLengths(
  stubUrl: string,
  random: () => number,
  gameMinMs: number,
  gameMaxMs: number,
  endAt: number | (() => number),
): Promise<void> {
  const end = typeof endAt === 'number' ? () => endAt : endAt;
  while (Date.now() < end()) {
    await stubControl(stubUrl, { finish_after_ms: Math.round(gameMinMs + random() * (gameMaxMs - gameMinMs)) }).catch(
      () => undefined,
    );
    await sleep(Math.max(0, Math.min(500, end() - Date.now())));
  }
}

/** A progress line on stderr every few seconds (every half second on a terminal). */
export function progressLine(render: () => string): () => void {
  const tty = process.stderr.isTTY;
  const timer = setInterval(
    () => {
      const line = render();
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    tty ? 500 : 5000,
  );
  return () => {
    clearInterval(timer);
    process.stderr.write('\n');
  };
}
