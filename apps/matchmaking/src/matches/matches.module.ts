import { Module } from '@nestjs/common';
import { MatchesRepository } from './matches.repository';

/** Match records as the api and the workers read them. */
@Module({ providers: [MatchesRepository], exports: [MatchesRepository] })
export class MatchesModule {}
