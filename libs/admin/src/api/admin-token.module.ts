import { Module } from '@nestjs/common';
import { AdminTokenService } from './admin-token.service';

/** Admin tokens, for the admin API and the CLI (`vitrine admin token`). No resolvers. */
@Module({ providers: [AdminTokenService], exports: [AdminTokenService] })
export class AdminTokenModule {}
