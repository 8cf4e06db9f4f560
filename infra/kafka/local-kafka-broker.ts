// Runs a real single-node Apache Kafka broker (KRaft, combined broker + controller) from the
// jars on Maven Central, for machines without Docker: used by `npm start` and the test suites.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaProbeLogin, waitForKafka } from './wait-for-kafka';
import {
  checkLocalSasl,
  formatArguments,
  listenerProperties,
  LocalKafkaSasl,
  LocalKafkaSecurity,
  LocalKafkaTls,
  securityFingerprint,
} from './broker-security';
import { findFreePort } from '../dev-stack/free-port';
import { projectRoot } from '@backbone/config';

const run = promisify(execFile);
const kafkaDir = join(projectRoot(), 'infra', 'kafka');

export interface LocalKafkaOptions {
  /** Client port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Controller port on 127.0.0.1; 0 or omitted picks a free one. */
  controllerPort?: number;
  /** Storage directory; a fresh temporary one when omitted (and removed on stop). */
  dataDir?: string;
  /** Keep a formatted storage directory from an earlier run instead of formatting afresh. */
  keepData?: boolean;
  /** Maximum JVM heap in MiB (at most 512 by default). */
  heapMiB?: number;
  /**
   * A SASL_PLAINTEXT listener with SCRAM and ACLs (StandardAuthorizer, nothing allowed without
   * an ACL) instead of PLAINTEXT; this user is the super user. PLAINTEXT when omitted.
   */
  sasl?: LocalKafkaSasl;
  /**
   * A TLS listener (SSL, or SASL_SSL with `sasl`) with these stores instead of a plain one;
   * the controller listener stays PLAINTEXT on 127.0.0.1.
   */
  tls?: LocalKafkaTls;
  /**
   * Further broker properties, after the ones above (which they override): say a retention
   * check every second for a test that waits for retention.
   */
  settings?: Record<string, string>;
  /**
   * This broker as one node of a cluster (see local-kafka-cluster.ts); a cluster of one, its
   * own controller, when omitted.
   */
  node?: ClusterNode;
  /** Where broker output goes; silent when omitted. */
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /**
   * Run the broker in a process group of its own, so that a terminal's Ctrl-C reaches only the
   * process that started it, which stops it last (after what uses it); it is still stopped
   * when that process exits.
   */
  ownProcessGroup?: boolean;
}

/** One node of a local cluster: its id, the controller quorum and the cluster's shared id. */
export interface ClusterNode {
  nodeId: number;
  /** `controller.quorum.voters`: `<id>@127.0.0.1:<controller port>` for each voter. */
  quorumVoters: string;
  clusterId: string;
  /** Replication factor of the internal topics (offsets, transaction state): the cluster's size. */
  internalReplicas: number;
}

export interface RunningKafka {
  brokers: string[];
  /** The super user's credentials, when the broker runs in SASL mode. */
  sasl?: LocalKafkaSasl;
  /** Its TLS listener's stores and client authentication, when it has one. */
  tls?: LocalKafkaTls;
  startedInMs: number;
  /** The broker's JVM process id (fault tests send it signals). */
  pid: number;
  stop: () => Promise<void>;
}

/** Fetches the broker jars with Maven (cached outside git) and returns their directory. */
export async function fetchKafkaJars(): Promise<string> {
  const { stdout } = await run('bash', [join(kafkaDir, 'fetch-jars.sh')], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split('\n').pop() as string;
}

function serverProperties(
  port: number,
  controllerPort: number,
  logDir: string,
  security: LocalKafkaSecurity,
  settings: Record<string, string> = {},
  node?: ClusterNode,
): string {
  const replicas = node?.internalReplicas ?? 1;
  // A write to an internal topic waits for two copies where there are three.
  const minIsr = replicas >= 3 ? 2 : 1;
  return [
    'process.roles=broker,controller',
    `node.id=${node?.nodeId ?? 1}`,
    `controller.quorum.voters=${node?.quorumVoters ?? `1@127.0.0.1:${controllerPort}`}`,
    'controller.listener.names=CONTROLLER',
    ...listenerProperties(port, controllerPort, security),
    `log.dirs=${logDir}`,
    'num.partitions=3',
    `offsets.topic.replication.factor=${replicas}`,
    'offsets.topic.num.partitions=10',
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=5',
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    ...(node ? clusterProperties(replicas, minIsr) : []),
    'group.initial.rebalance.delay.ms=0',
    // The cleaner's dedupe buffer is allocated on the heap at start (128 MiB by default).
    'log.cleaner.dedupe.buffer.size=4194304',
    'num.io.threads=2',
    'num.network.threads=2',
    'auto.create.topics.enable=false',
    ...Object.entries(settings).map(([name, value]) => `${name}=${value}`),
  ].join('\n');
}

/**
 * A cluster's topics default to a copy on each broker (the backbone sets its own per topic), and
 * a broker that stops answering leaves partitions' in-sync sets within 10 s rather than 30 s.
 */
function clusterProperties(replicas: number, minIsr: number): string[] {
  return [
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minIsr}`,
    'replica.lag.time.max.ms=10000',
  ];
}

async function java(jarsDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(
    'java',
    [
      `-Dlog4j2.configurationFile=${join(kafkaDir, 'log4j2.properties')}`,
      '-cp',
      `${jarsDir}/*`,
      ...args,
    ],
    { env: { ...process.env, KAFKA_LOG_LEVEL: 'WARN' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** A fresh cluster id from Kafka's own tool. */
export async function randomClusterId(jarsDir: string): Promise<string> {
  const output = await java(jarsDir, ['kafka.tools.StorageTool', 'random-uuid']);
  return output.trim().split('\n').pop() as string;
}

function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * How the readiness probe connects: as the super user under SASL, and over TLS trusting the
 * broker's CA, presenting the broker's own certificate (a super user's) where mutual TLS is on.
 */
export function probeLogin({ sasl, tls }: LocalKafkaSecurity): KafkaProbeLogin {
  if (!tls) return { sasl };
  const read = (file: string): string => readFileSync(file, 'utf8');
  const own = tls.clientAuth === 'required' ? tls.stores.broker : undefined;
  return {
    sasl,
    ssl: {
      ca: read(tls.stores.caFile),
      cert: own && read(own.certFile),
      key: own && read(own.keyFile),
    },
  };
}

export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<RunningKafka> {
  const started = Date.now();
  const jarsDir = await fetchKafkaJars();
  const port = options.port || (await findFreePort());
  const controllerPort = options.controllerPort || (await findFreePort());
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'backbone-kafka-')));
  const logDir = join(dataDir, 'log');
  if (options.sasl) checkLocalSasl(options.sasl);
  // A kept directory holds the super user's credential from its format: reformat on a change.
  const securityFile = join(dataDir, 'security');
  const fingerprint = securityFingerprint(options.sasl);
  const formattedWith = await readFile(securityFile, 'utf8').catch(() => 'plaintext');
  const reuse =
    options.keepData === true &&
    existsSync(join(logDir, 'meta.properties')) &&
    formattedWith.trim() === fingerprint;
  // Otherwise a fresh storage directory: formatting one that holds another cluster id fails.
  if (!reuse) await rm(logDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const propsFile = join(dataDir, 'server.properties');
  // The file may hold the super user's password (JAAS) and the stores' password: readable by
  // this user only.
  const security = { sasl: options.sasl, tls: options.tls };
  const properties = serverProperties(
    port,
    controllerPort,
    logDir,
    security,
    options.settings,
    options.node,
  );
  await writeFile(propsFile, properties, { mode: 0o600 });
  if (!reuse) {
    const clusterId = options.node?.clusterId ?? (await randomClusterId(jarsDir));
    await java(jarsDir, [
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propsFile,
      ...formatArguments(options.sasl),
    ]);
    await writeFile(securityFile, fingerprint);
  }

  const heap = Math.min(options.heapMiB ?? 512, 512);
  const child = spawn(
    'java',
    [
      `-Xmx${heap}m`,
      `-Xms${Math.min(heap, 256)}m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(kafkaDir, 'log4j2.properties')}`,
      '-cp',
      `${jarsDir}/*`,
      'kafka.Kafka',
      propsFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup === true },
  );
  // Out of the terminal's reach, the broker must not outlive its starter, however that ends.
  const stopOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  if (options.ownProcessGroup) process.once('exit', stopOnExit);
  const forward = (chunk: Buffer): void => {
    if (!options.log) return;
    for (const line of chunk.toString().split('\n')) if (line) options.log(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`Kafka broker exited before it was ready (code ${code}, signal ${signal})`)),
    ),
  );
  exited.catch(() => undefined);

  const brokers = [`127.0.0.1:${port}`];
  const stop = async (): Promise<void> => {
    await stopProcess(child, 20_000);
    process.removeListener('exit', stopOnExit);
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForKafka(brokers, options.startTimeoutMs ?? 90_000, probeLogin(options)),
      exited,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    brokers,
    sasl: options.sasl,
    tls: options.tls,
    startedInMs: Date.now() - started,
    pid: child.pid as number,
    stop,
  };
}
