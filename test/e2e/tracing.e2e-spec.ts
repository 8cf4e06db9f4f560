// W3C trace context through the backbone: a command's trace continues in its outcome, its
// events on referrals.events and the inboxes and their projection, over Kafka and HTTP alike;
// spans say nothing
// personal.
import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { DEMO_API_KEYS } from '@backbone/directory';
import { setUpTracing } from '@backbone/observability';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';
import { WatchedRecord } from '../support/topic-watcher';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

const traceIdOf = (record: WatchedRecord): string | undefined =>
  /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(String(record.headers.traceparent ?? ''))?.[1];

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    setUpTracing([new SimpleSpanProcessor(exporter)]);
    // The projector's spans are looked for here too, so its consumer runs on this thread: a
    // worker thread's spans reach only that thread's tracer.
    backbone = await BackboneUnderTest.start(
      (topics) => [topics.outcomes(SCHOOL), topics.inbox(SOCIAL), topics.events],
      { projectorThread: 'main' },
    );
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  /** The outcome, published event and inbox copy of a command, once all three are on Kafka. */
  const recordsOf = async (commandId: string, referralId: string) => {
    const outcome = await backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.outcomes(SCHOOL) && r.json?.causationid === commandId,
      'the outcome',
    );
    const isMade = (topic: string) => (r: WatchedRecord) =>
      r.topic === topic && r.json?.subject === referralId && r.json?.type === 'referral.made.v1';
    const published = await backbone.watcher.waitFor(isMade(backbone.topics.events), 'event');
    const inbox = await backbone.watcher.waitFor(isMade(backbone.topics.inbox(SOCIAL)), 'inbox');
    return [outcome, published, inbox];
  };

  it('continues an agency trace from a Kafka command to its outcome and events', async () => {
    const traceId = randomBytes(16).toString('hex');
    const senderSpan = randomBytes(8).toString('hex');
    const command = makeReferralCommand(SCHOOL, SOCIAL);
    await backbone.producer.send({
      topic: backbone.topics.commands(SCHOOL),
      messages: [
        {
          key: command.subject,
          value: JSON.stringify(command),
          headers: { traceparent: `00-${traceId}-${senderSpan}-01` },
        },
      ],
    });
    const records = await recordsOf(command.id, command.subject);
    expect(records.map(traceIdOf)).toEqual([traceId, traceId, traceId]);

    const answering = exporter
      .getFinishedSpans()
      .find((span) => span.spanContext().traceId === traceId);
    expect(answering?.name).toBe('answer command');
    expect(answering?.parentSpanContext?.spanId).toBe(senderSpan);
    expect(String(records[0].headers.traceparent)).toContain(answering?.spanContext().spanId);

    // The projector's span for the event is in the same trace, a child of the answering span.
    const projecting = await eventually(
      async () =>
        exporter
          .getFinishedSpans()
          .find((span) => span.name === 'project event' && span.spanContext().traceId === traceId),
      'the projection span',
    );
    expect(projecting.parentSpanContext?.spanId).toBe(answering?.spanContext().spanId);

    // Nothing personal in any span: not the person, the reason, nor the acting person's name.
    const personal = [
      command.actor,
      command.data.reason,
      command.data.subject.name.given,
      command.data.subject.identifiers[0].value,
    ];
    const attributes = JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes));
    expect(personal.filter((value) => attributes.includes(value))).toEqual([]);
  });

  it('starts a trace for a command that came without one, over HTTP too', async () => {
    const command = makeReferralCommand(SCHOOL, SOCIAL);
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[SCHOOL], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect(response.status).toBe(200);
    const records = await recordsOf(command.id, command.subject);
    const [traceId] = records.map(traceIdOf);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(records.map(traceIdOf)).toEqual([traceId, traceId, traceId]);
  });
});
