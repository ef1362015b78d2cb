export * from './types';
export { isAllowedTeamMatch, regionsAgree } from './rules';
export { findTeamMatches, findTeamMatchesDetailed } from './matcher';
export type { TeamMatchOptions, TeamMatchStats } from './matcher';
export { greedyTeamMatches } from './greedy';
export { lineUp } from './line-up';
export type { BoardColor, LinedUpPlayer, LinedUpTeam } from './line-up';
