import { normal } from '@app/core/testing';
import { signToken } from '../support/tokens';
import { INTERNAL_API_KEY, JWT_SECRET, REGIONS, TIME_CONTROLS } from './settings';

export interface SimPlayer {
  id: string;
  auth: string;
  rating: number;
  region: string | null;
  tc: string;
  /** the rating category of the player's format (`team_blitz` for a 2v2 player) */
  category: string;
  /** `1v1`, or `2v2`: then alone, a party's leader (with its partner), or a partner (who never queues) */
  format: string;
  partner: SimPlayer | null;
  /** a partner: the leader queues the party for both */
  follower: boolean;
  /** a leader's party, once formed */
  partyId: string | null;
  /** queue entry ids this player already followed */
  seen: Set<string>;
}

/** Seeded players: ratings ~N(1500, 300), regions with ~10 % none, a favourite time control each. */
export function buildRoster(
  random: () => number,
  players: number,
  prefix = 'sim',
  teamShare = Number(process.env.SIM_TEAM_SHARE ?? 0.5),
): SimPlayer[] {
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
      format: '1v1',
      partner: null,
      follower: false,
      partyId: null,
      seen: new Set(),
    });
  }
  if (teamShare > 0) formTeams(random, roster, teamShare);
  return roster;
}

/** Of the 2v2 players, the share in parties of two (SIM_PARTY_SHARE). */
const PARTY_SHARE = () => Number(process.env.SIM_PARTY_SHARE ?? 0.6);

/**
 * Mixes 2v2 traffic in: `teamShare` of the players (SIM_TEAM_SHARE, 0.5) play 2v2, 60 % of those in
 * parties of two, so about 30 % of all players queue in a party.
 */
function formTeams(random: () => number, roster: SimPlayer[], teamShare: number): void {
  let waitingPartner: SimPlayer | null = null;
  for (const p of roster) {
    if (random() >= teamShare) continue;
    p.format = '2v2';
    p.category = `team_${p.category}`;
    if (random() >= PARTY_SHARE()) continue;
    if (!waitingPartner) {
      waitingPartner = p;
      continue;
    }
    // the partner plays the leader's time control: a party queues one pool
    Object.assign(p, { tc: waitingPartner.tc, category: waitingPartner.category, follower: true });
    waitingPartner.partner = p;
    p.partner = waitingPartner;
    waitingPartner = null;
  }
  if (waitingPartner) waitingPartner.partner = null;
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
