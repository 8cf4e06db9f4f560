// Commands over HTTP get the same single outcome as over Kafka (and it is on the outcomes
// topic too); what cannot be answered at all goes to the dead-letter topic with its origin.
import { COMMAND_DATA_CLASSES, EVENT_DATA_CLASSES } from '@backbone/contracts';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';

describe('command channels', () => {
  let backbone: BackboneUnderTest;
  const schoolKey = DEMO_API_KEYS['randers-school'];

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [
      topics.outcomes('randers-school'),
      topics.inbox('randers-social'),
      topics.deadLetter,
    ]);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const post = (body: string, key = schoolKey) =>
    backbone.http('/v1/commands', key, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

  it('accepts a command over HTTP, answers on the outcomes topic too, and publishes the event', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const response = await post(JSON.stringify(command));
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as {
      id: string;
      type: string;
      data: { events: string[] };
    };
    expect(outcome.type).toBe('command.accepted');

    const onTopic = await backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.outcomes('randers-school') && r.json?.id === outcome.id,
      'the HTTP outcome on the outcomes topic',
    );
    expect(onTopic.json).toEqual(outcome);
    await backbone.watcher.waitFor(
      (r) =>
        r.topic === backbone.topics.inbox('randers-social') &&
        r.json?.id === outcome.data.events[0],
      'the event on the receiver inbox topic',
    );
  });

  it('answers a rejection as problem details with the contract code and the bad fields', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const response = await post(
      JSON.stringify({ ...command, data: { ...command.data, priority: 'soon' } }),
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 422,
      code: 'INVALID',
      commandId: command.id,
      errors: [expect.objectContaining({ path: 'data.priority' })],
    });
  });

  it('refuses an unknown key, and a command in another agency name', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    expect((await post(JSON.stringify(command), 'not-a-key')).status).toBe(401);
    const forged = makeReferralCommand('randers-social', 'east-jutland-police');
    const response = await post(JSON.stringify(forged));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers unparseable HTTP bodies MALFORMED', async () => {
    const response = await post('{"this is": not json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED' });
  });

  it('serves Prometheus metrics to operators only', async () => {
    const metrics = await backbone.http('/metrics', DEMO_API_KEYS['demo-ops-team']);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/process_resident_memory_bytes/);
    expect(text).toMatch(
      /backbone_command_outcomes_total\{type="command.accepted",code="",channel="http"\} [1-9]/,
    );
    expect(text).toMatch(/backbone_events_published_total [1-9]/);
    // The projector's consumer counts in its worker thread's registry: /metrics merges it in,
    // and keeps this thread's own start time, which that merge would otherwise leave out.
    const projected = /projector_events_applied_total\{model="referral-views"\} [1-9]/;
    await eventually(async () => {
      const again = await (await backbone.http('/metrics', DEMO_API_KEYS['demo-ops-team'])).text();
      return projected.test(again) ? true : undefined;
    }, "the projector thread's applied events in /metrics");
    expect(text).toMatch(/^process_start_time_seconds \d+/m);
    expect((await backbone.http('/metrics', schoolKey)).status).toBe(403);
  });

  it('serves the JSON Schema of every command type', async () => {
    const index = (await (await fetch(`${backbone.baseUrl}/v1/schemas`)).json()) as {
      commands: Record<string, string>;
    };
    expect(Object.keys(index.commands).sort()).toEqual(Object.keys(COMMAND_DATA_CLASSES).sort());
    expect(Object.keys((index as unknown as { events: object }).events).sort()).toEqual(
      Object.keys(EVENT_DATA_CLASSES).sort(),
    );
    const made = await fetch(`${backbone.baseUrl}/v1/schemas/referral.made.v1`);
    expect(await made.json()).toMatchObject({ title: 'referral.made.v1 data' });
    const make = await fetch(`${backbone.baseUrl}${index.commands['referral.make.v1']}`);
    expect(await make.json()).toMatchObject({
      title: 'referral.make.v1',
      properties: { type: { const: 'referral.make.v1' } },
    });
    expect((await fetch(`${backbone.baseUrl}/v1/schemas/referral.teleport.v1`)).status).toBe(404);
  });

  it('dead-letters a Kafka record with no command id, saying why and where it came from', async () => {
    await backbone.sendCommand('randers-school', 'certainly not a command', 'junk-key');
    const dead = await backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.deadLetter && r.key === 'junk-key',
      'the record on the dead-letter topic',
    );
    expect(dead.value).toBe('certainly not a command');
    expect(String(dead.headers['dlq-reason'])).toMatch(/not JSON/);
    expect(String(dead.headers['dlq-source-topic'])).toBe(
      backbone.topics.commands('randers-school'),
    );
    expect(dead.headers['dlq-source-offset']).toBeDefined();

    // The service keeps answering after the junk.
    const command = makeReferralCommand('randers-school', 'randers-social');
    await backbone.sendCommand('randers-school', JSON.stringify(command), command.subject);
    await backbone.watcher.waitFor(
      (r) =>
        r.topic === backbone.topics.outcomes('randers-school') &&
        r.json?.causationid === command.id,
      'the outcome of the next command',
    );
  });
});
