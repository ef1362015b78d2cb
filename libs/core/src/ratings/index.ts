export * from './glicko2';
export * from './openskill';
