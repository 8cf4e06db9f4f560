import {
  Counter,
  CounterConfiguration,
  Histogram,
  HistogramConfiguration,
  register,
} from 'prom-client';

// Get-or-create: several apps in one process (the all-in-one backbone, tests) share one metric
// per name in the default registry instead of failing on the second registration.

export function sharedCounter<T extends string>(config: CounterConfiguration<T>): Counter<T> {
  return (register.getSingleMetric(config.name) as Counter<T> | undefined) ?? new Counter(config);
}

export function sharedHistogram<T extends string>(config: HistogramConfiguration<T>): Histogram<T> {
  return (
    (register.getSingleMetric(config.name) as Histogram<T> | undefined) ?? new Histogram(config)
  );
}
