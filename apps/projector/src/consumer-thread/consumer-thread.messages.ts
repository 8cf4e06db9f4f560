import type { BackboneConfig } from '@backbone/config';
import type { MetricsSnapshot } from '@backbone/observability';

/** What the projector's consumer thread starts with. */
export interface ConsumerThreadData {
  config: BackboneConfig;
  /** The parent's log level at the start (tests raise it after the configuration is read). */
  logLevel: string;
}

/** From the service's main thread to the consumer thread. */
export type ToConsumerThread = { kind: 'metrics'; id: number } | { kind: 'stop' };

/** From the consumer thread to the service's main thread. */
export type FromConsumerThread =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { kind: 'log'; line: string }
  | { kind: 'metrics'; id: number; snapshot: MetricsSnapshot };
