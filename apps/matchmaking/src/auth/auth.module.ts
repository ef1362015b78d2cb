import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { InternalAuthGuard } from './internal-auth.guard';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';

@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [JwtStrategy, JwtAuthGuard, InternalAuthGuard],
  exports: [JwtStrategy, JwtAuthGuard, InternalAuthGuard],
})
export class AuthModule {}
