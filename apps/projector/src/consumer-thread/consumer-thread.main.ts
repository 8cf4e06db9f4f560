// The projector's consumer thread (a worker_threads entry, started by ConsumerThread): applies
// `referrals.events` to the read models on an event loop of its own, and answers its parent's
// requests for metrics and for a stop.
import 'reflect-metadata';
import { MessagePort, parentPort, threadId, workerData } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { register } from 'prom-client';
import { PinoNestLogger, rootLogger, sendLogLinesTo, setUpTracing } from '@backbone/observability';
import type {
  ConsumerThreadData,
  FromConsumerThread,
  ToConsumerThread,
} from './consumer-thread.messages';
import { ConsumerThreadModule } from './consumer-thread.module';

function tell(port: MessagePort, message: FromConsumerThread): void {
  port.postMessage(message);
}

async function run(port: MessagePort, { config, logLevel }: ConsumerThreadData): Promise<void> {
  // One thread writes the process's log: the parent, which also lets tests tap these lines.
  sendLogLinesTo((line) => tell(port, { kind: 'log', line }));
  rootLogger.level = logLevel;
  setUpTracing();
  const app = await NestFactory.createApplicationContext(ConsumerThreadModule.forRoot(config), {
    logger: new PinoNestLogger(rootLogger.child({ component: 'nest', thread: 'projector' })),
    abortOnError: false,
  }).catch((error: unknown) => {
    tell(port, { kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  });
  port.on('message', (message: ToConsumerThread) => {
    if (message.kind === 'metrics') {
      void register
        .getMetricsAsJSON()
        .catch(() => [])
        .then((snapshot) => tell(port, { kind: 'metrics', id: message.id, snapshot }));
    } else if (message.kind === 'stop') {
      // Closing stops the consumer, waits for groups still committing, and ends the pools. The
      // thread then ends at once: after a broker restart kafkajs can leave a socket open that
      // would keep it alive until its parent's stop timeout.
      void app.close().finally(() => {
        port.close();
        process.exit();
      });
    }
  });
  rootLogger.info(
    { component: 'projector', threadId },
    'projector consumer running in its own thread',
  );
  tell(port, { kind: 'ready' });
}

if (!parentPort) throw new Error('consumer-thread.main runs only as a worker thread');
run(parentPort, workerData as ConsumerThreadData).catch(() => {
  // Told to the parent above; the thread ends with nothing left to run.
  process.exitCode = 1;
});
