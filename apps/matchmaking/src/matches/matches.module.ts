import { Module } from '@nestjs/common';
import { MatchesRepository } from './matches.repository';
import { TeamMatchesRepository } from './team-matches.repository';

/** Match records as the api and the workers read them, and the team matches the tick writes. */
@Module({ providers: [MatchesRepository, TeamMatchesRepository], exports: [MatchesRepository, TeamMatchesRepository] })
export class MatchesModule {}
