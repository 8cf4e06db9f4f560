import { AggregatorRegistry, Registry, register } from 'prom-client';

/** A thread's metrics as prom-client's `getMetricsAsJSON` gives them (plain data). */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Where this process's other metrics are kept: its worker threads, each with its own registry. */
export type MetricSource = () => Promise<MetricsSnapshot>;

const sources = new Set<MetricSource>();

/** Adds a source whose metrics `/metrics` shows with this thread's; returns its removal. */
export function addMetricSource(source: MetricSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

/**
 * This process's metrics in the Prometheus text format: the default registry's, and every
 * source's merged in. Series of one name and labels in more than one place are added up (a
 * gauge's own aggregator decides, as prom-client's cluster aggregation does).
 */
export async function gatherMetrics(): Promise<string> {
  if (!sources.size) return register.metrics();
  const [own, ...others] = await Promise.all([
    register.getMetricsAsJSON(),
    ...[...sources].map((source) => source()),
  ]);
  // prom-client's aggregation leaves out metrics marked `omit` (the process's start time), meant
  // for cluster workers that each report it; here only this thread has them, so they stay.
  const kept = own.map((metric) =>
    metric.aggregator === 'omit' ? { ...metric, aggregator: 'first' as const } : metric,
  );
  return AggregatorRegistry.aggregate([kept, ...others]).metrics();
}
