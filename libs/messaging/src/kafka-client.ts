import { Consumer, Kafka, logLevel, LogEntry } from 'kafkajs';
import { rootLogger } from '@backbone/observability';

// kafkajs logs through pino, at warn and above: its info lines are per-connection chatter.
function pinoLogCreator() {
  const logger = rootLogger.child({ component: 'kafkajs' });
  return ({ level, log }: LogEntry): void => {
    const { message, ...extra } = log;
    if (level === logLevel.ERROR) logger.error(extra, message);
    else if (level === logLevel.WARN) logger.warn(extra, message);
    else logger.debug(extra, message);
  };
}

export function createKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    brokers,
    clientId,
    logLevel: logLevel.WARN,
    logCreator: () => pinoLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/**
 * A consumer with the backbone's defaults: topics are never created by consuming, and idle
 * fetches return within half a second so that shutdown and rebalances stay quick.
 */
export function createConsumer(kafka: Kafka, groupId: string): Consumer {
  return kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
}
