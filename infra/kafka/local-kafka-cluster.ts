// A local Kafka cluster of several KRaft nodes from the same jars as the single broker: each
// node is broker and controller at once (combined mode), and together they form the controller
// quorum, so that losing one node loses neither the metadata nor the partitions' leaders.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../dev-stack/free-port';
import {
  ClusterNode,
  RunningKafka,
  fetchKafkaJars,
  randomClusterId,
  startLocalKafka,
} from './local-kafka-broker';

export interface LocalKafkaClusterOptions {
  /** How many nodes (brokers and controller voters); 3 by default. */
  size?: number;
  /** Client port of the first node; the others follow on the next ports. Free ports when omitted. */
  firstPort?: number;
  /** Where the nodes keep their data; a temporary directory, removed on stop, when omitted. */
  dataDir?: string;
  /** Keep the nodes' formatted directories from an earlier run. */
  keepData?: boolean;
  heapMiB?: number;
  /** How long each node may take to answer; three JVMs starting on two busy cores are slow. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
  ownProcessGroup?: boolean;
}

/** One node of a running cluster, which a fault test may kill, freeze and bring back. */
export interface ClusterMember {
  nodeId: number;
  /** Its client listener, `127.0.0.1:<port>`. */
  broker: string;
  /** The node's JVM process id, while it runs. */
  readonly pid: number | undefined;
  /** SIGKILL: the node dies without a word to its peers. */
  kill(): Promise<void>;
  /** SIGSTOP: the node stops answering while its sockets stay open (a hung host). */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** Starts the node again on its ports and data (after `kill`). */
  restart(): Promise<void>;
}

export interface RunningKafkaCluster {
  brokers: string[];
  members: ClusterMember[];
  startedInMs: number;
  stop(): Promise<void>;
}

interface NodePorts {
  port: number;
  controllerPort: number;
}

async function choosePorts(size: number, firstPort: number | undefined): Promise<NodePorts[]> {
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) {
    ports.push(
      firstPort
        ? { port: firstPort + i, controllerPort: firstPort + 100 + i }
        : { port: await findFreePort(), controllerPort: await findFreePort() },
    );
  }
  return ports;
}

export async function startLocalKafkaCluster(
  options: LocalKafkaClusterOptions = {},
): Promise<RunningKafkaCluster> {
  const started = Date.now();
  const size = options.size ?? 3;
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'backbone-kafka-cluster-')));
  const clusterId = await randomClusterId(await fetchKafkaJars());
  const ports = await choosePorts(size, options.firstPort);
  const quorumVoters = ports
    .map(({ controllerPort }, i) => `${i + 1}@127.0.0.1:${controllerPort}`)
    .join(',');

  const startNode = (index: number, keepData: boolean): Promise<RunningKafka> => {
    const node: ClusterNode = {
      nodeId: index + 1,
      quorumVoters,
      clusterId,
      internalReplicas: Math.min(size, 3),
    };
    return startLocalKafka({
      ...ports[index],
      node,
      dataDir: join(dataDir, `node-${node.nodeId}`),
      keepData,
      heapMiB: options.heapMiB ?? 384,
      startTimeoutMs: options.startTimeoutMs ?? 240_000,
      log: options.log && ((line) => options.log?.(`[node ${node.nodeId}] ${line}`)),
      ownProcessGroup: options.ownProcessGroup,
    });
  };

  // The nodes share the cluster id they were formatted with: kept only if every node kept it.
  const keep =
    options.keepData === true &&
    ports.every((_, i) => existsSync(join(dataDir, `node-${i + 1}`, 'log', 'meta.properties')));
  // All at once: no node answers before a majority of the quorum is up.
  const settled = await Promise.allSettled(ports.map((_, i) => startNode(i, keep)));
  const nodes: (RunningKafka | null)[] = settled.map((result) =>
    result.status === 'fulfilled' ? result.value : null,
  );
  const stopAll = (): Promise<void[]> =>
    Promise.all(nodes.map((node) => (node ? node.stop() : Promise.resolve())));
  for (const result of settled) {
    if (result.status === 'rejected') {
      await stopAll();
      throw result.reason;
    }
  }
  const frozen = new Set<number>();

  const members: ClusterMember[] = ports.map(({ port }, index) => ({
    nodeId: index + 1,
    broker: `127.0.0.1:${port}`,
    get pid() {
      return nodes[index]?.pid;
    },
    async kill() {
      const node = nodes[index];
      if (!node) return;
      process.kill(node.pid, 'SIGKILL');
      // stop() waits for the exit it has just been given, and cleans up after the process.
      await node.stop();
      nodes[index] = null;
    },
    freeze() {
      const node = nodes[index];
      if (!node) throw new Error(`node ${index + 1} is not running`);
      process.kill(node.pid, 'SIGSTOP');
      frozen.add(index);
    },
    thaw() {
      const node = nodes[index];
      if (node && frozen.delete(index)) process.kill(node.pid, 'SIGCONT');
    },
    async restart() {
      if (nodes[index]) throw new Error(`node ${index + 1} is still running`);
      nodes[index] = await startNode(index, true);
    },
  }));

  return {
    brokers: members.map((member) => member.broker),
    members,
    startedInMs: Date.now() - started,
    async stop() {
      for (const member of members) member.thaw();
      await stopAll();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
