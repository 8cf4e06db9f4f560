// Bad records on a command topic, as a buggy or hostile agency system might send them: each
// gets the right outcome when it can be answered at all, or a dead letter saying why, and the
// consumer keeps going.
import { randomUUID } from 'node:crypto';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { makeReferralCommand } from '../support/referral-commands';
import { WatchedRecord } from '../support/topic-watcher';

const SCHOOL = 'randers-school';

describe('bad records on a command topic', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [
      topics.outcomes(SCHOOL),
      topics.deadLetter,
    ]);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const outcomeOf = (commandId: string): Promise<WatchedRecord> =>
    backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.outcomes(SCHOOL) && r.json?.causationid === commandId,
      `the outcome of ${commandId}`,
    );
  const deadLetter = (key: string): Promise<WatchedRecord> =>
    backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.deadLetter && r.key === key,
      `the dead letter keyed ${key}`,
    );
  const rejectionCode = (record: WatchedRecord) => (record.json?.data as { code?: string }).code;

  it('answers or dead-letters each, and goes on answering', async () => {
    const notUtf8 = makeReferralCommand(SCHOOL, 'randers-social');
    const notUtf8Text = JSON.stringify(notUtf8);
    const inReason = notUtf8Text.indexOf(notUtf8.data.reason);
    const notUtf8Bytes = Buffer.concat([
      Buffer.from(notUtf8Text.slice(0, inReason)),
      Buffer.from([0xc3, 0x28]), // an invalid two-byte sequence inside the reason's string
      Buffer.from(notUtf8Text.slice(inReason)),
    ]);
    const huge = makeReferralCommand(SCHOOL, 'randers-social');
    huge.data.reason = 'x'.repeat(2 * 1024 * 1024);
    const notEnvelope = { id: randomUUID(), hello: 'world' };
    const forged = makeReferralCommand('randers-social', SCHOOL);
    const valid = makeReferralCommand(SCHOOL, 'randers-social');

    await backbone.sendCommand(SCHOOL, Buffer.alloc(0), 'empty');
    await backbone.sendCommand(SCHOOL, Buffer.from([0xff, 0xfe, 0x00, 0x81]), 'binary');
    await backbone.sendCommand(SCHOOL, notUtf8Bytes, 'not-utf8');
    await backbone.sendCommand(SCHOOL, JSON.stringify(huge), 'huge');
    await backbone.sendCommand(SCHOOL, Buffer.alloc(3 * 1024 * 1024, 0x20), 'huge-blank');
    await backbone.sendCommand(SCHOOL, JSON.stringify(notEnvelope), 'not-envelope');
    await backbone.sendCommand(SCHOOL, JSON.stringify([1, 2, 3]), 'array');
    await backbone.sendCommand(SCHOOL, JSON.stringify(forged), 'forged');
    await backbone.sendCommand(SCHOOL, JSON.stringify(valid), valid.subject);

    expect((await deadLetter('empty')).headers['dlq-reason']?.toString()).toMatch(/empty/);
    expect((await deadLetter('binary')).headers['dlq-reason']?.toString()).toMatch(/not JSON/);
    expect(rejectionCode(await outcomeOf(notUtf8.id))).toBe('MALFORMED');
    expect(rejectionCode(await outcomeOf(huge.id))).toBe('TOO_LARGE');
    const blank = await deadLetter('huge-blank');
    expect(blank.value?.length).toBe(3 * 1024 * 1024);
    expect(rejectionCode(await outcomeOf(notEnvelope.id))).toBe('MALFORMED');
    expect((await deadLetter('array')).headers['dlq-reason']?.toString()).toMatch(/no command id/);
    expect(rejectionCode(await outcomeOf(forged.id))).toBe('FORBIDDEN');
    expect((await outcomeOf(valid.id)).json?.type).toBe('command.accepted');
  });
});
