import {
  bruteForceTeamOptimum,
  randomPlayers,
  randomTickets,
  RandomTicketOptions,
  seededRandom,
  shuffled,
  TEST_POLICY,
  ticketBuilder,
} from '../testing';
import { findPairs } from '../matching/matcher';
import { cooldownFromPairs, MatchPolicy } from '../matching/types';
import { greedyTeamMatches } from './greedy';
import { findTeamMatches, findTeamMatchesDetailed } from './matcher';
import { isAllowedTeamMatch } from './rules';
import { compareTeamValues, scoreTeamMatches, TeamMatch, Ticket, ticketWaitedLonger } from './types';

const NOW = 50_000_000;
const policy: MatchPolicy = TEST_POLICY; // ±100, +25 every 10 s, max ±200, region fallback 30 s
const t = ticketBuilder(NOW);

/** each match as "a1+a2 v b1+b2" of ticket ids (teams and sides as returned) */
function show(matches: TeamMatch[]): string[] {
  return matches.map((m) => `${m.a.tickets.map((x) => x.id).join('+')} v ${m.b.tickets.map((x) => x.id).join('+')}`);
}

/** every match allowed by the §12 rule, whole known tickets, none twice, a holds the longest waiter */
function expectValid(matches: TeamMatch[], tickets: readonly Ticket[], N: number, pol: MatchPolicy): void {
  const known = new Set(tickets);
  const seen = new Set<Ticket>();
  for (const m of matches) {
    expect(isAllowedTeamMatch(m.a.tickets, m.b.tickets, N, NOW, pol)).toBe(true);
    const all = [...m.a.tickets, ...m.b.tickets];
    for (const x of all) {
      expect(known.has(x)).toBe(true); // the very ticket object: never split or rebuilt
      expect(seen.has(x)).toBe(false);
      seen.add(x);
    }
    const longest = all.reduce((best, x) => (ticketWaitedLonger(x, best) ? x : best));
    expect(m.a.tickets[0]).toBe(longest);
    const mean = (ts: Ticket[]): number =>
      ts.flatMap((x) => x.players).reduce((s, p) => s + p.rating, 0) / ts.reduce((s, x) => s + x.players.length, 0);
    expect(m.a.rating).toBeCloseTo(mean(m.a.tickets), 9);
    expect(m.b.rating).toBeCloseTo(mean(m.b.tickets), 9);
    expect(m.gap).toBeCloseTo(Math.abs(m.a.rating - m.b.rating), 9);
  }
}

function randomPool(seed: number, n: number, opts: RandomTicketOptions): { tickets: Ticket[]; pol: MatchPolicy } {
  const { tickets, cooldown } = randomTickets(seededRandom(seed), n, NOW, opts);
  return { tickets, pol: { ...policy, windowInitial: 50, cooldown } };
}

describe('findTeamMatches vs the exhaustive optimum (seeded pools of 2–12 tickets, sizes 1..N)', () => {
  const opts = (N: number): RandomTicketOptions => ({
    teamSize: N,
    regions: ['EU', 'NA', null],
    cooldowns: 3,
    maxWaitMs: 60_000,
    oversizeChance: 0.05,
  });

  it.each([2, 3])('N = %i: valid and equal to the optimum on all four levels, every pool', (N) => {
    let equal = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const { tickets, pol } = randomPool(seed * 7919 + N, 2 + (seed % 11), opts(N));
      const got = findTeamMatches(tickets, N, NOW, pol);
      expectValid(got, tickets, N, pol);
      const optimum = bruteForceTeamOptimum(tickets, N, NOW, pol);
      if (compareTeamValues(scoreTeamMatches(got, NOW), optimum.value) === 0) equal++;
    }
    expect(equal).toBe(250);
  });

  it.each([2, 3])('N = %i: with the 100k band (K = 2N − 1) still valid, never above the optimum', (N) => {
    // How often the narrow band still equals the optimum is a bench figure (npm run bench teams), not a
    // contract; here it must stay valid, never claim better than the optimum, and seat the most players mostly.
    let sameCount = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const { tickets, pol } = randomPool(seed * 7919 + N, 2 + (seed % 11), opts(N));
      const got = findTeamMatchesDetailed(tickets, N, NOW, pol, { band: 2 * N - 1, guard: false }).matches;
      expectValid(got, tickets, N, pol);
      const c = compareTeamValues(scoreTeamMatches(got, NOW), bruteForceTeamOptimum(tickets, N, NOW, pol).value);
      expect(c).toBeLessThanOrEqual(0);
      if (scoreTeamMatches(got, NOW)[0] === bruteForceTeamOptimum(tickets, N, NOW, pol).value[0]) sameCount++;
    }
    expect(sameCount).toBeGreaterThanOrEqual(85);
  });
});

describe('findTeamMatches: the §12 rules', () => {
  it('a party is never split: it plays whole, on one team, even when splitting it would be fairer', () => {
    // P = {1400, 1600}; solos 1400 and 1600. Splitting P (1400s with 1400p) is not a match at all.
    const tickets = [t('P', [1400, 1600], 5000), t('s1', 1400, 4000), t('s2', 1600, 3000)];
    const got = findTeamMatches(tickets, 2, NOW, policy);
    expect(show(got)).toEqual(['P v s1+s2']);
    expect(got[0].a.tickets[0].players.map((p) => p.userId)).toEqual(['P.1', 'P.2']);
    expect(got[0].gap).toBe(0);
  });

  it('ignores a ticket of more than N players (and its players)', () => {
    const tickets = [t('big', [1500, 1500, 1500], 90_000), t('a', 1500, 1000), t('b', 1500, 1000), t('c', 1500, 1000)];
    expect(findTeamMatches(tickets, 2, NOW, policy)).toEqual([]);
    expect(show(findTeamMatches([...tickets, t('d', 1500, 1000)], 2, NOW, policy))).toEqual(['a+b v c+d']);
    expect(greedyTeamMatches(tickets, 2, NOW, policy)).toEqual([]);
  });

  it('the team gap must be within EVERY ticket window, the youngest included', () => {
    // {o, y} v P: gap 60. The old tickets accept ±150 at a ±50 initial window, the young ticket y only
    // ±50 until it has waited 10 s (±75).
    const narrow = { ...policy, windowInitial: 50 };
    const make = (yWait: number): Ticket[] => [t('o', 1500, 60_000), t('P', [1560, 1560], 60_000), t('y', 1500, yWait)];
    expect(findTeamMatches(make(5000), 2, NOW, narrow)).toEqual([]);
    expect(show(findTeamMatches(make(10_000), 2, NOW, narrow))).toEqual(['P v o+y']); // equal waits: ticket id 'P' < 'o'
    // the same gap with an old ticket instead of y is fine
    expect(show(findTeamMatches([...make(0).slice(0, 2), t('o2', 1500, 20_000)], 2, NOW, narrow))).toEqual([
      'P v o+o2',
    ]);
  });

  it('no two players of the match more than windowMax apart, whatever the team gap', () => {
    // {1300, 1700} v {1500, 1500}: gap 0 but 1300 and 1700 are 400 > windowMax 200 apart
    const tickets = [t('P', [1300, 1700], 60_000), t('a', 1500, 60_000), t('b', 1500, 60_000)];
    expect(findTeamMatches(tickets, 2, NOW, policy)).toEqual([]);
    expect(show(findTeamMatches(tickets, 2, NOW, { ...policy, windowMax: 400 }))).toEqual(['P v a+b']);
  });

  it('regions: every two tickets agree as a 1v1 pair would (same, none, or either past the fallback)', () => {
    const four = (regions: Array<[string | null, number]>): Ticket[] =>
      regions.map(([region, wait], k) => t(`r${k}`, 1500 + k, wait, region));
    // two young tickets of different regions never share a match, even as team-mates
    expect(
      findTeamMatches(
        four([
          ['EU', 1000],
          ['EU', 1000],
          ['NA', 1000],
          [null, 1000],
        ]),
        2,
        NOW,
        policy,
      ),
    ).toEqual([]);
    // one old ticket does not let two young ones of different regions meet (the pairwise reading)
    expect(
      findTeamMatches(
        four([
          ['EU', 1000],
          ['NA', 1000],
          ['SA', 40_000],
          [null, 1000],
        ]),
        2,
        NOW,
        policy,
      ),
    ).toEqual([]);
    // young EU tickets with no-region and past-fallback tickets of another region: allowed
    expect(
      findTeamMatches(
        four([
          ['EU', 1000],
          ['EU', 1000],
          ['NA', 40_000],
          [null, 1000],
        ]),
        2,
        NOW,
        policy,
      ),
    ).toHaveLength(1);
    // the young NA ticket waits past the fallback: now EU (young) and NA agree
    expect(
      findTeamMatches(
        four([
          ['EU', 1000],
          ['NA', 30_000],
          [null, 1000],
          [null, 1000],
        ]),
        2,
        NOW,
        policy,
      ),
    ).toHaveLength(1);
  });

  it('cooldown blocks opponents, not team-mates', () => {
    const tickets = [t('a', 1500, 9000), t('b', 1500, 8000), t('c', 1510, 7000), t('d', 1510, 6000)];
    // free: a+c v b+d (gap 0)
    expect(findTeamMatches(tickets, 2, NOW, policy)[0].gap).toBe(0);
    // a–b in cooldown: every gap-0 split makes them opponents; as team-mates they may play (gap 10)
    const blocked = { ...policy, cooldown: cooldownFromPairs([['a', 'b']]) };
    expect(show(findTeamMatches(tickets, 2, NOW, blocked))).toEqual(['a+b v c+d']);
    // a in cooldown with all three others: no split keeps a's opponents clear
    const all = {
      ...policy,
      cooldown: cooldownFromPairs([
        ['a', 'b'],
        ['a', 'c'],
        ['a', 'd'],
      ]),
    };
    expect(findTeamMatches(tickets, 2, NOW, all)).toEqual([]);
  });

  it('a user listed twice in one match is refused (a ticket with the same user twice is ignored)', () => {
    const dup = [t('a', 1500, 9000, 'EU', ['x']), t('b', 1500, 8000, 'EU', ['x']), t('c', 1500, 7000), t('d', 1500, 1)];
    expect(findTeamMatches(dup, 2, NOW, policy)).toEqual([]);
    const inner = [t('P', [1500, 1500], 9000, 'EU', ['y', 'y']), t('c', 1500, 7000), t('d', 1500, 1)];
    expect(findTeamMatches(inner, 2, NOW, policy)).toEqual([]);
  });
});

describe('findTeamMatches: objective order', () => {
  it('(1) more players before their waits', () => {
    // eight solos 50 apart, windowMax 200: the four old middle ones make the longest-waiting match, but
    // it strands the young outer four (1400/1450 and 1700/1750 are 300 apart); two matches seat everybody
    const ratings = [1400, 1450, 1500, 1550, 1600, 1650, 1700, 1750];
    const tickets = ratings.map((r, k) => t(`s${k}`, r, k >= 2 && k <= 5 ? 60_000 : 1000));
    const got = findTeamMatches(tickets, 2, NOW, policy);
    expect(scoreTeamMatches(got, NOW)[0]).toBe(8);
    expect(compareTeamValues(scoreTeamMatches(got, NOW), bruteForceTeamOptimum(tickets, 2, NOW, policy).value)).toBe(0);
  });

  it('(2) the longest waiters before a smaller gap', () => {
    // x (old) or z (young) completes P's match; x gives gap 30, z gap 0: the wait wins
    const tickets = [t('P', [1500, 1500], 30_000), t('w', 1500, 30_000), t('x', 1440, 30_000), t('z', 1500, 1000)];
    expect(show(findTeamMatches(tickets, 2, NOW, policy))).toEqual(['P v w+x']);
  });

  it('(3) the smallest team gap before the in-team spread, (4) then the smallest spread', () => {
    // four solos, equal waits: {1400, 1600} v {1500, 1500} gap 0 spread 200 beats {1400, 1500} v {1500, 1600} gap 100
    const gapFirst = [t('a', 1400, 60_000), t('b', 1500, 60_000), t('c', 1500, 60_000), t('d', 1600, 60_000)];
    const got = findTeamMatches(gapFirst, 2, NOW, policy);
    expect(got[0].gap).toBe(0);
    expect(show(got)).toEqual(['a+d v b+c']);
    // equal gaps (0): {1500, 1500} v {1500, 1500} spread 0 vs … only spread breaks the tie
    const spread = [t('p', [1450, 1550], 60_000), t('q', [1500, 1500], 60_000), t('r', [1500, 1500], 60_000)];
    expect(show(findTeamMatches(spread, 2, NOW, policy))).toEqual(['q v r']);
  });
});

describe('findTeamMatches: teamSize 1 is findPairs', () => {
  it('equals findPairs on the same players, pair for pair (seeded pools)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const { players, cooldown } = randomPlayers(random, 4 + seed * 2, NOW, {
        regions: ['EU', 'NA', null],
        cooldowns: 5,
        sameUserChance: 0.02,
        maxWaitMs: 60_000,
      });
      const pol = { ...policy, windowInitial: 50, cooldown };
      const tickets = players.map((p) => ({
        id: p.id,
        players: [{ userId: p.userId, rating: p.rating }],
        region: p.region,
        enqueuedAt: p.enqueuedAt,
      }));
      const party = t('party', [1500, 1500], 90_000); // a ticket of 2 is ignored with N = 1
      const got = findTeamMatches([...tickets, party], 1, NOW, pol);
      const pairs = findPairs(players, NOW, pol);
      expect(got.map((m) => [m.a.tickets[0].id, m.b.tickets[0].id, m.gap])).toEqual(
        pairs.map((p) => [p.a.id, p.b.id, p.gap]),
      );
    }
  });
});

describe('findTeamMatches: determinism and larger pools', () => {
  const big = (seed: number, n: number): { tickets: Ticket[]; pol: MatchPolicy } => {
    const { tickets, pol } = randomPool(seed, n, {
      teamSize: 2,
      regions: ['EU', 'NA', 'ASIA', null],
      cooldowns: 40,
      maxWaitMs: 300_000,
    });
    // spread ratings out so that windows bite
    const wide = tickets.map((x) => ({
      ...x,
      players: x.players.map((p) => ({ ...p, rating: 1500 + (p.rating - 1550) * 6 })),
    }));
    return { tickets: wide, pol };
  };

  it('is independent of the input order (rating and enqueuedAt ties included)', () => {
    const { tickets, pol } = big(11, 400);
    for (let k = 0; k < tickets.length; k += 4) tickets[k] = { ...tickets[k], enqueuedAt: NOW - 5000 };
    const expected = JSON.stringify(findTeamMatches(tickets, 2, NOW, pol));
    const expectedGreedy = JSON.stringify(greedyTeamMatches(tickets, 2, NOW, pol));
    const random = seededRandom(5);
    for (let s = 0; s < 4; s++) {
      const sh = shuffled(tickets, random);
      expect(JSON.stringify(findTeamMatches(sh, 2, NOW, pol))).toBe(expected);
      expect(JSON.stringify(greedyTeamMatches(sh, 2, NOW, pol))).toBe(expectedGreedy);
    }
    // already in queue order (enqueuedAt, then id), as the tick reads it: the matcher skips its sort
    const queued = [...tickets].sort((x, y) => x.enqueuedAt - y.enqueuedAt || (x.id < y.id ? -1 : 1));
    expect(JSON.stringify(findTeamMatches(queued, 2, NOW, pol))).toBe(expected);
  });

  it('3000 tickets: valid, never below greedy, also on the 100k path (narrow band, no greedy net)', () => {
    const { tickets, pol } = big(12, 3000);
    const greedy = greedyTeamMatches(tickets, 2, NOW, pol);
    expectValid(greedy, tickets, 2, pol);
    const shipped = findTeamMatchesDetailed(tickets, 2, NOW, pol);
    expectValid(shipped.matches, tickets, 2, pol);
    expect(shipped.stats.chosen).toBe('dp');
    const narrow = findTeamMatchesDetailed(tickets, 2, NOW, pol, { band: 3, guard: false }).matches;
    expectValid(narrow, tickets, 2, pol);
    const g = scoreTeamMatches(greedy, NOW);
    expect(compareTeamValues(scoreTeamMatches(shipped.matches, NOW), g)).toBeGreaterThan(0);
    expect(compareTeamValues(scoreTeamMatches(narrow, NOW), g)).toBeGreaterThan(0);
  });

  it('rejects a teamSize that is not a positive integer', () => {
    expect(() => findTeamMatches([], 0, NOW, policy)).toThrow('teamSize');
    expect(() => findTeamMatches([], 1.5, NOW, policy)).toThrow('teamSize');
  });
});

describe('greedyTeamMatches: seed 004 baseline', () => {
  it('takes the 2N longest waiters, the best allowed split; passes over a ticket that would overflow', () => {
    const tickets = [
      t('a', 1400, 90_000),
      t('b', 1600, 80_000),
      t('c', 1500, 70_000),
      t('P', [1500, 1500], 65_000), // would make five players with a, b, c: stays for the next group
      t('d', 1500, 60_000),
      t('e', 1500, 1000),
      t('f', 1500, 1000),
    ];
    expect(show(greedyTeamMatches(tickets, 2, NOW, policy))).toEqual(['a+b v c+d', 'P v e+f']);
  });

  it('sets the longest waiter aside when no split of its group is allowed; strands what the optimum seats', () => {
    // a is further than windowMax from everybody: set aside, then b, c, d, e are the group
    const aside = [t('a', 1000, 90_000), t('b', 1500, 80_000), t('c', 1500, 70_000), t('d', 1500, 60_000)];
    expect(show(greedyTeamMatches([...aside, t('e', 1500, 1000)], 2, NOW, policy))).toEqual(['b+c v d+e']); // all splits gap 0: the first enumerated
    const stranding = [
      t('w1', 1500, 90_000),
      t('w2', 1700, 80_000),
      t('w3', 1600, 70_000),
      t('w4', 1600, 60_000),
      t('y1', 1400, 1000),
      t('y2', 1500, 1000),
      t('y3', 1800, 1000),
      t('y4', 1700, 1000),
    ];
    // greedy: w1..w4 (gap 0) then y1..y4 spans 400 > windowMax 200: 4 players. Optimum: 8.
    expect(scoreTeamMatches(greedyTeamMatches(stranding, 2, NOW, policy), NOW)[0]).toBe(4);
    expect(scoreTeamMatches(findTeamMatches(stranding, 2, NOW, policy), NOW)[0]).toBe(8);
  });
});
