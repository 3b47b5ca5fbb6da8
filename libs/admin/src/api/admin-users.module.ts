import { Module } from '@nestjs/common';
import { PasswordService } from '@vitrine/accounts';
import { AdminUserService } from '../accounts/admin-user.service';
import { AdminTokenModule } from './admin-token.module';

/** Admin accounts through the admin API (no resolvers here: AdminApiModule declares them). */
@Module({
  imports: [AdminTokenModule],
  providers: [AdminUserService, PasswordService],
  exports: [AdminUserService],
})
export class AdminUsersModule {}
