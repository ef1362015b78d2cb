export * from './database';
export * from './rows/pool-fields';
export * from './rows/queue-entry.row';
export * from './rows/match.row';
export * from './rows/challenge.row';
export * from './rows/player-rating.row';
export * from './data-source-options';
export * from './ids';
export { migrate, ensureDatabase } from './migrate';
