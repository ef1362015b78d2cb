import { Module } from '@nestjs/common';
import { RatingsRepository } from './ratings.repository';
import { RatingsService } from './ratings.service';

/** Glicko-2 ratings from game results; the games module applies them inside the result transaction. */
@Module({ providers: [RatingsRepository, RatingsService], exports: [RatingsService] })
export class RatingsModule {}
