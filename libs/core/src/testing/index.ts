/** Fixtures for specs and benchmarks; not part of the production index (libs/core/src/index.ts). */
export { bruteForceOptimum } from './brute-force';
export { playerBuilder, randomPlayers } from './players';
export type { PlayerBuilder, RandomPoolOptions } from './players';
export { normal, seededRandom, shuffled } from './random';
export { TEST_POLICY } from './policy';
export { bruteForceTeamOptimum } from './team-brute-force';
export { randomTickets, ticketBuilder } from './tickets';
export type { RandomTicketOptions, TicketBuilder } from './tickets';
