import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { OutboxHandlers } from './outbox-handlers';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxStore } from './outbox-store';
import { OutboxWorker } from './outbox-worker';
import { Outbox } from './outbox.service';

/**
 * The outbox for every module: the producer ({@link Outbox}), the registry consumers add their
 * handlers to ({@link OutboxHandlers}) and the {@link OutboxWorker} (drain, list, retry). The
 * worker's polling loop runs only where {@link OutboxLoopModule} says so.
 */
@Global()
@Module({
  providers: [Outbox, OutboxHandlers, OutboxStore, OutboxWorker, OutboxMetrics],
  exports: [Outbox, OutboxHandlers, OutboxWorker],
})
export class OutboxModule {}

const RUN_LOOP = Symbol('OUTBOX_RUN_LOOP');

/** Starts the worker's loop once every module (and so every handler) is ready; stops it before the database closes. */
class OutboxLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly worker: OutboxWorker,
    @Inject(RUN_LOOP) private readonly run: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (this.run) this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}

/** Runs (or not) the outbox delivery loop in this process: `forRoot(config.outbox.worker === 'inline')`. */
@Module({})
export class OutboxLoopModule {
  static forRoot(run: boolean): DynamicModule {
    return {
      module: OutboxLoopModule,
      providers: [{ provide: RUN_LOOP, useValue: run }, OutboxLoop],
    };
  }
}
