import { normal } from '@app/core/testing';
import { signToken } from '../support/tokens';
import { INTERNAL_API_KEY, JWT_SECRET, REGIONS, TIME_CONTROLS } from './settings';

export interface SimPlayer {
  id: string;
  auth: string;
  rating: number;
  region: string | null;
  tc: string;
  category: string;
  /** queue entry ids this player already followed */
  seen: Set<string>;
}

/** Seeded players: ratings ~N(1500, 300), regions with ~10 % none, a favourite time control each. */
export function buildRoster(random: () => number, players: number, prefix = 'sim'): SimPlayer[] {
  const cumulative: number[] = [];
  TIME_CONTROLS.reduce((acc, t) => (cumulative.push(acc + t.weight), acc + t.weight), 0);
  const roster: SimPlayer[] = [];
  for (let i = 0; i < players; i++) {
    const id = `${prefix}-${String(i).padStart(5, '0')}`;
    const r = random();
    const t =
      TIME_CONTROLS[
        Math.max(
          0,
          cumulative.findIndex((c) => r < c),
        )
      ];
    roster.push({
      id,
      auth: `Bearer ${signToken(JWT_SECRET, id, {}, 6 * 3600)}`,
      rating: Math.min(3200, Math.max(100, Math.round(normal(random, 1500, 300)))),
      region: random() < 0.1 ? null : REGIONS[Math.floor(random() * REGIONS.length)],
      tc: t.tc,
      category: t.category,
      seen: new Set(),
    });
  }
  return roster;
}

/** PUT /internal/players/{id}/ratings/{category} for every player, 16 at a time. */
export async function importRatings(serviceUrl: string, roster: SimPlayer[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < roster.length; i = next++) {
        const p = roster[i];
        const res = await fetch(`${serviceUrl}/internal/players/${p.id}/ratings/${p.category}`, {
          method: 'PUT',
          headers: { 'x-api-key': INTERNAL_API_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ rating: p.rating }),
        });
        if (!res.ok) throw new Error(`rating import ${p.id} → ${res.status} ${await res.text()}`);
      }
    }),
  );
}
