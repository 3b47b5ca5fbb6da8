import { Global, Module } from '@nestjs/common';
import { Outbox } from './outbox.service';

/** Provides the producer side of the outbox to every module. */
@Global()
@Module({ providers: [Outbox], exports: [Outbox] })
export class OutboxModule {}
