export * from './entities/queue-entry.entity';
export * from './entities/player-rating.entity';
export * from './entities/match.entity';
export * from './data-source-options';
export * from './ids';
export { migrate, ensureDatabase } from './migrate';
