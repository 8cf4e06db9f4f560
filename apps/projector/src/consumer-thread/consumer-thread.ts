import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { BackboneConfig } from '@backbone/config';
import {
  MetricsSnapshot,
  addMetricSource,
  rootLogger,
  writeLogLine,
} from '@backbone/observability';
import type {
  ConsumerThreadData,
  FromConsumerThread,
  ToConsumerThread,
} from './consumer-thread.messages';
import { startModuleWorker } from './module-worker';

/** A thread that ended on its own is started again after this long, doubling up to the most. */
const RESTART_DELAY_MS = { first: 1_000, most: 30_000 };
/** A thread that has run this long without ending counts as healthy again (restarts start over). */
const HEALTHY_AFTER_MS = 60_000;
/** How long a metrics scrape waits for the thread's figures before going on without them. */
const METRICS_TIMEOUT_MS = 5_000;
/** How long a stop waits for the thread to stop its consumer and commit, before ending it. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs the projector's consumer (ProjectorConsumer) in a worker thread of the service's
 * process, so that applying events to the read models does not wait behind the main event loop
 * (command handling, publishing, HTTP), nor delay it. The thread has PostgreSQL pools and a
 * Kafka client of its own; its log lines and metrics come back to this thread, so the process
 * keeps one log and one `/metrics`.
 *
 * The service starts only once the thread's consumer runs. A thread that ends later (a crash,
 * running out of memory) is logged and started again; its consumer resumes from the offsets in
 * PostgreSQL, so nothing is applied twice or missed.
 */
export class ConsumerThread implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'projector' });
  private worker?: Worker;
  /** Whether `worker` has started its consumer (and so answers requests). */
  private running = false;
  /** Aborted at shutdown: cuts short the pause before a restart. */
  private readonly stopping = new AbortController();
  private restartDelayMs = RESTART_DELAY_MS.first;
  private nextRequest = 0;
  private readonly metricsAnswers = new Map<number, (snapshot: MetricsSnapshot) => void>();
  private removeMetricSource?: () => void;

  constructor(private readonly config: BackboneConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    this.removeMetricSource = addMetricSource(() => this.metrics());
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.removeMetricSource?.();
    const worker = this.worker;
    if (!worker) return;
    const exited = once(worker, 'exit');
    this.send({ kind: 'stop' });
    const timeout = sleep(STOP_TIMEOUT_MS, 'timeout' as const, { ref: false });
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      this.logger.warn('the projector thread did not stop in time; ending it');
      await worker.terminate();
    }
  }

  /** Starts the thread and resolves once its consumer runs; rejects if it could not start. */
  private start(): Promise<void> {
    const data: ConsumerThreadData = { config: this.config, logLevel: rootLogger.level };
    const worker = startModuleWorker(__dirname, 'consumer-thread.main', data);
    this.worker = worker;
    this.running = false;
    const startedAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromConsumerThread) => {
        if (message.kind === 'log') writeLogLine(message.line);
        else if (message.kind === 'metrics')
          this.metricsAnswers.get(message.id)?.(message.snapshot);
        else if (message.kind === 'ready') {
          ready = true;
          this.running = true;
          resolve();
        } else if (message.kind === 'failed') {
          reject(new Error(`the projector thread could not start: ${message.error}`));
          void worker.terminate(); // what it had opened before failing may keep it alive
        }
      });
      worker.on('error', (error) => {
        this.logger.error({ err: error }, 'the projector thread failed');
        if (!ready) reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.running = false;
        }
        if (!ready) return reject(new Error(`the projector thread ended (code ${code})`));
        if (this.stopping.signal.aborted) return;
        if (Date.now() - startedAt > HEALTHY_AFTER_MS) this.restartDelayMs = RESTART_DELAY_MS.first;
        this.logger.error(
          { code, restartInMs: this.restartDelayMs },
          'the projector thread ended; starting it again',
        );
        void this.restartLater();
      });
    });
  }

  /** Starts the thread again after a pause that doubles while starts keep failing. */
  private async restartLater(): Promise<void> {
    const { signal } = this.stopping;
    for (;;) {
      await sleep(this.restartDelayMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      this.restartDelayMs = Math.min(RESTART_DELAY_MS.most, this.restartDelayMs * 2);
      try {
        await this.start();
        return;
      } catch (error) {
        this.logger.error({ err: error, restartInMs: this.restartDelayMs }, 'restart failed');
      }
    }
  }

  /** The thread's metrics, or none while it is not running or does not answer in time. */
  private async metrics(): Promise<MetricsSnapshot> {
    if (!this.running) return [];
    const id = this.nextRequest++;
    const answer = new Promise<MetricsSnapshot>((resolve) => this.metricsAnswers.set(id, resolve));
    this.send({ kind: 'metrics', id });
    const timeout = sleep(METRICS_TIMEOUT_MS, [] as MetricsSnapshot, { ref: false });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      this.metricsAnswers.delete(id);
    }
  }

  private send(message: ToConsumerThread): void {
    this.worker?.postMessage(message);
  }
}
