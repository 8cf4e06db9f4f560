import { Counter, Gauge, Histogram, Registry, register } from 'prom-client';
import { MetricsSnapshot, addMetricSource, gatherMetrics } from './metric-sources';

/** What a worker thread's registry would answer: a counter and a histogram of its own. */
async function threadSnapshot(applied: number, lags: number[]): Promise<MetricsSnapshot> {
  const registry = new Registry();
  new Counter({
    name: 'test_applied_total',
    help: 'applied',
    labelNames: ['model'],
    registers: [registry],
  }).inc({ model: 'views' }, applied);
  const lag = new Histogram({
    name: 'test_lag_seconds',
    help: 'lag',
    buckets: [0.1, 1],
    registers: [registry],
  });
  for (const seconds of lags) lag.observe(seconds);
  // Through a structured clone, as it crosses from the thread.
  return structuredClone(await registry.getMetricsAsJSON());
}

describe('gatherMetrics', () => {
  const here = new Counter({ name: 'test_applied_total', help: 'applied', labelNames: ['model'] });
  afterAll(() => register.removeSingleMetric('test_applied_total'));

  it("is this thread's registry alone while there is no other source", async () => {
    here.inc({ model: 'views' }, 2);
    expect(await gatherMetrics()).toBe(await register.metrics());
  });

  it("adds up a source's series with this thread's, and shows the ones only it has", async () => {
    here.reset();
    here.inc({ model: 'views' }, 2);
    const remove = addMetricSource(() => threadSnapshot(5, [0.05, 0.5, 3]));
    try {
      const text = await gatherMetrics();
      expect(text).toContain('test_applied_total{model="views"} 7');
      expect(text).toContain('test_lag_seconds_bucket{le="0.1"} 1');
      expect(text).toContain('test_lag_seconds_bucket{le="1"} 2');
      expect(text).toContain('test_lag_seconds_count 3');
    } finally {
      remove();
    }
    expect(await gatherMetrics()).toContain('test_applied_total{model="views"} 2');
  });

  it("keeps this thread's metrics that prom-client's aggregation would leave out", async () => {
    const started = new Gauge({
      name: 'test_start_time_seconds',
      help: 'start',
      aggregator: 'omit',
    });
    started.set(1234);
    const remove = addMetricSource(() => threadSnapshot(1, []));
    try {
      expect(await gatherMetrics()).toContain('test_start_time_seconds 1234');
    } finally {
      remove();
      register.removeSingleMetric('test_start_time_seconds');
    }
    expect(await gatherMetrics()).not.toContain('test_lag_seconds');
  });
});
