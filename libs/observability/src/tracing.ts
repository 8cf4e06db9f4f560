// W3C trace context across the backbone: a command's trace goes on to its outcome, its events
// on every topic, and their projection. Spans carry ids, types and topics, never personal data.
import {
  Context,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  TextMapGetter,
  Tracer,
  context as contexts,
  propagation,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

let registered = false;

/**
 * Sets up tracing for the process, once (later calls keep the first setup). Spans get real ids
 * whether or not they are exported; `OTEL_TRACES_EXPORTER=console` prints them.
 */
export function setUpTracing(spanProcessors?: SpanProcessor[]): void {
  if (registered) return;
  registered = true;
  const processors =
    spanProcessors ??
    (process.env.OTEL_TRACES_EXPORTER === 'console'
      ? [new SimpleSpanProcessor(new ConsoleSpanExporter())]
      : []);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: processors }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export const backboneTracer = (): Tracer => trace.getTracer('referral-backbone');

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

const kafkaHeaderGetter: TextMapGetter<Record<string, HeaderValue>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The trace context a Kafka record or HTTP request carries (the root context if none). */
export function contextOfHeaders(headers: Record<string, HeaderValue> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter) : ROOT_CONTEXT;
}

/** A context holding only a stored `traceparent`, to continue that trace. */
export const contextOfTraceparent = (traceparent: unknown): Context =>
  typeof traceparent === 'string' ? contextOfHeaders({ traceparent }) : ROOT_CONTEXT;

/** The `traceparent` (and `tracestate`) headers that continue `span`'s trace. */
export function traceHeadersOf(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(contexts.active(), span), carrier);
  return carrier;
}

/** A span for handling one message received from Kafka (or HTTP), child of its sender's. */
export function startConsumerSpan(
  name: string,
  parent: Context,
  attributes: Record<string, string | number>,
): Span {
  return backboneTracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
}
