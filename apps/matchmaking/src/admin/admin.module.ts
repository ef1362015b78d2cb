import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { QueueModule } from '../queue/queue.module';
import { AdminController } from './admin.controller';
import { AdminRepository } from './admin.repository';
import { AdminService } from './admin.service';

@Module({
  imports: [MatchesModule, QueueModule],
  controllers: [AdminController],
  providers: [AdminRepository, AdminService],
})
export class AdminModule {}
