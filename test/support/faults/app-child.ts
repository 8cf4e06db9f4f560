// A backbone service in a child process (test/support/faults/app-process.ts), started with the
// test's configuration, for tests that must kill it with SIGKILL.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BackboneConfig } from '@backbone/config';
import { projectRoot } from '@backbone/config';

export interface AppChildOptions {
  /** Comma-separated parts: sector-service, publisher, projector. */
  app: string;
  config: BackboneConfig;
  /** See app-process.ts: e.g. `kill-before-answers:3`. */
  fault?: string;
}

export class AppChild {
  private output = '';
  /** The last line written so far, not yet ended. */
  private partialLine = '';
  /** Lines counted over the whole output (the kept log is only its end), by pattern. */
  private readonly counted = new Map<RegExp, number>();
  readonly exited: Promise<NodeJS.Signals | number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      const lines = (this.partialLine + chunk.toString()).split('\n');
      this.partialLine = lines.pop() ?? '';
      for (const [pattern, count] of this.counted) {
        this.counted.set(pattern, count + lines.filter((line) => pattern.test(line)).length);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start({ app, config, fault }: AppChildOptions): Promise<AppChild> {
    const root = projectRoot();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APP: app,
      KAFKA_BROKERS: config.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: config.topicPrefix,
      KAFKA_TOPIC_PARTITIONS: String(config.topicPartitions),
      DATABASE_URL: config.databaseUrl,
      PORT: '0',
      BACKBONE_MASTER_KEY: config.masterKey,
      SUBJECT_ID_KEY: config.subjectIdKey,
      DEADLINE_POLL_MS: String(config.deadlinePollMs),
      LOG_LEVEL: 'warn',
      ...(fault ? { FAULT: fault } : { FAULT: '' }),
    };
    const child = spawn(
      process.execPath,
      [
        '--require',
        join(root, 'test/support/faults/ts-register.js'),
        join(root, 'test/support/faults/app-process.ts'),
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const started = new AppChild(child);
    await started.waitForOutput(/READY /, 90_000);
    return started;
  }

  /** Resolves once the child has written a line matching `pattern`. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      const ended = await Promise.race([
        this.exited.then((how) => `exited (${String(how)})`),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
      ]);
      if (ended && !pattern.test(this.output)) {
        throw new Error(`child ${ended} before ${pattern}:\n${this.output}`);
      }
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output}`);
    }
  }

  get log(): string {
    return this.output;
  }

  /** From now on, counts the lines matching `pattern`; `linesMatching` reads the count. */
  countLines(pattern: RegExp): void {
    this.counted.set(pattern, this.counted.get(pattern) ?? 0);
  }

  linesMatching(pattern: RegExp): number {
    return this.counted.get(pattern) ?? 0;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
