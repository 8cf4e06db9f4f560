import { randomBytes, randomUUID } from 'node:crypto';
import { AuthenticationFailedError, newDataKey, sealBytes } from './aes-gcm';
import {
  EventParts,
  keepCopiesAsStored,
  keyIdsOf,
  markStoredSealed,
  needsSealing,
  openEvent,
  sealEvent,
} from './event-sealing';
import { MasterKeyring, parseMasterKey } from './master-keyring';
import {
  ERASED,
  StoredSealedValue,
  UNREADABLE,
  isSealed,
  openValue,
  sealValue,
} from './sealed-value';
import type { KeyForOpening } from './subject-keys';

const keyId = randomUUID();
const key = newDataKey();
const streamId = `referral-${randomUUID()}`;
const made = {
  eventId: randomUUID(),
  streamId,
  type: 'referral.made.v1',
  data: {
    referralId: randomUUID(),
    from: 'randers-school',
    to: 'randers-social',
    reason: 'Freya has bruises she cannot explain',
    subject: {
      identifiers: [{ system: 'dk-cpr', value: '0101125678' }],
      name: { given: 'Freya', family: 'Lund' },
    },
    subjectId: 'subj-1',
  },
  metadata: { actor: 'Ms Birgit Holm', actingAgency: 'randers-school' },
} satisfies EventParts & { eventId: string; streamId: string };
const present = (k = key): Map<string, KeyForOpening> =>
  new Map([[keyId, { state: 'present', key: k }]]);
const sealing = { keyId, key };

/** A value as sealing wrote it before `pd2`: the field name its only binding. */
const sealedAsPd1 = (field: string, value: unknown): string =>
  `pd1.${keyId}.${sealBytes(key, Buffer.from(JSON.stringify(value)), `pd1|${keyId}|${field}`).toString('base64url')}`;

describe('sealing the personal fields of an event', () => {
  const sealed = sealEvent(made, streamId, sealing);

  it('seals exactly the classified fields and the actor, and leaves the rest as it was', () => {
    expect(isSealed(sealed.data.reason)).toBe(true);
    expect(isSealed(sealed.data.subject)).toBe(true);
    expect(isSealed(sealed.metadata.actor)).toBe(true);
    expect(sealed.data.reason).toMatch(/^pd2\./);
    expect(sealed.data).toMatchObject({
      from: 'randers-school',
      to: 'randers-social',
      subjectId: 'subj-1',
    });
    expect(sealed.metadata.actingAgency).toBe('randers-school');
    expect(JSON.stringify(sealed)).not.toMatch(/Freya|bruises|0101125678|Birgit/);
    expect(keyIdsOf(sealed)).toEqual([keyId, keyId, keyId]);
  });

  it('opens back to the same values with the key', () => {
    expect(openEvent(sealed, present())).toEqual({ event: made, unreadable: [] });
  });

  it('seals a value that merely looks sealed like any other plaintext', () => {
    const lookalike = `pd1.${randomUUID()}.${randomBytes(40).toString('base64url')}`;
    const sent = { ...made, data: { ...made.data, reason: lookalike } };
    expect(needsSealing(sent)).toBe(true);
    const stored = sealEvent(sent, streamId, sealing);
    expect(stored.data.reason).not.toBe(lookalike);
    expect(openEvent(stored, present()).event.data.reason).toBe(lookalike);
    // Even a real ciphertext sent back is only text: it is sealed again, not taken as sealed.
    const replayed = {
      ...made,
      eventId: randomUUID(),
      data: { ...made.data, reason: sealed.data.reason },
    };
    const resealed = sealEvent(replayed, streamId, sealing);
    expect(openEvent(resealed, present()).event.data.reason).toBe(sealed.data.reason);
  });

  it('binds each value to its stream and event: a ciphertext copied elsewhere reads [unreadable]', () => {
    const intoOtherEvent = { ...sealed, eventId: randomUUID() };
    expect(openEvent(intoOtherEvent, present())).toMatchObject({
      event: { data: { reason: UNREADABLE, subject: UNREADABLE } },
      unreadable: ['data.reason', 'data.subject', 'metadata.actor'],
    });
    const intoOtherStream = { ...sealed, streamId: `referral-${randomUUID()}` };
    expect(openEvent(intoOtherStream, present()).unreadable).toHaveLength(3);
  });

  it('seals a stored value a decision copies again for the event it goes in, where it opens', () => {
    const stored = markStoredSealed(sealed);
    expect(stored.data.reason).toBeInstanceOf(StoredSealedValue);
    const copiedTo = { streamId: `case-${randomUUID()}`, eventId: randomUUID() };
    const opened = {
      eventId: copiedTo.eventId,
      type: 'case.opened.v1',
      data: { caseId: 'c', subject: stored.data.subject },
      metadata: {},
    };
    const resealed = sealEvent(opened, copiedTo.streamId, sealing);
    expect(resealed.data.subject).not.toBe(sealed.data.subject);
    expect(openEvent({ ...resealed, ...copiedTo }, present()).event.data.subject).toEqual(
      made.data.subject,
    );
    // Without the key (erased), a copy is kept as stored: unreadable there as here.
    expect(keepCopiesAsStored(opened).data.subject).toBe(sealed.data.subject);
    expect(JSON.stringify(stored.data.subject)).toBe(JSON.stringify(sealed.data.subject));
  });

  it('still opens values sealed before the stream and event were bound (pd1), wherever they are', () => {
    const legacy = {
      ...made,
      data: { ...made.data, reason: sealedAsPd1('reason', made.data.reason) },
      metadata: { ...made.metadata, actor: sealedAsPd1('actor', made.metadata.actor) },
    };
    const { event, unreadable } = openEvent(legacy, present());
    expect(unreadable).toEqual([]);
    expect(event.data.reason).toBe(made.data.reason);
    expect(event.metadata.actor).toBe(made.metadata.actor);
    // Copied by a decision, it is sealed again in the new form.
    const copy = sealEvent(
      {
        ...made,
        eventId: randomUUID(),
        data: { ...made.data, reason: markStoredSealed(legacy).data.reason },
      },
      streamId,
      sealing,
    );
    expect(copy.data.reason).toMatch(/^pd2\./);
  });

  it('reads [erased] once the key is destroyed, and touches nothing else', () => {
    const erased = openEvent(sealed, new Map([[keyId, { state: 'erased' }]]));
    expect(erased.event.data).toMatchObject({
      reason: ERASED,
      subject: ERASED,
      from: 'randers-school',
    });
    expect(erased.event.metadata.actor).toBe(ERASED);
    expect(erased.unreadable).toEqual([]);
  });

  it('reports an altered ciphertext as unreadable instead of opening it', () => {
    const reason = sealed.data.reason;
    const flipped = reason.slice(0, -3) + (reason.at(-3) === 'A' ? 'B' : 'A') + reason.slice(-2);
    const tampered = { ...sealed, data: { ...sealed.data, reason: flipped } };
    const opened = openEvent(tampered, present());
    expect(opened.event.data.reason).toBe(UNREADABLE);
    expect(opened.unreadable).toEqual(['data.reason']);
    expect(opened.event.data.subject).toEqual(made.data.subject);
  });

  it('binds each value to its field: a sealed reason moved into another field does not open', () => {
    const moved = { ...sealed, data: { ...sealed.data, subject: sealed.data.reason } };
    expect(openEvent(moved, present()).unreadable).toEqual(['data.subject']);
  });

  it('does not open with another key', () => {
    const at = { streamId, eventId: made.eventId, field: 'text' };
    expect(() => openValue(sealValue(keyId, key, at, 'x'), newDataKey(), at)).toThrow(
      AuthenticationFailedError,
    );
  });

  it('leaves events of types without personal fields alone', () => {
    const received = {
      eventId: randomUUID(),
      type: 'referral.received.v1',
      data: { referralId: 'r' },
      metadata: {},
    };
    expect(needsSealing(received)).toBe(false);
    expect(sealEvent(received, streamId, sealing)).toEqual(received);
  });
});

describe('master keys', () => {
  const spec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

  it('unwraps data keys wrapped before a rotation with the retired key', () => {
    const first = parseMasterKey(spec('m1'), 'X');
    const before = new MasterKeyring(first);
    const dataKey = newDataKey();
    const wrapped = before.wrap(dataKey, 'ctx');
    const after = new MasterKeyring(parseMasterKey(spec('m2'), 'X'), [first]);
    expect(after.unwrap(wrapped, 'ctx')).toEqual(dataKey);
    expect(after.wrap(dataKey, 'ctx').masterKeyId).toBe('m2');
    expect(() => after.unwrap(wrapped, 'other row')).toThrow(AuthenticationFailedError);
    expect(() => new MasterKeyring(parseMasterKey(spec('m3'), 'X')).unwrap(wrapped, 'ctx')).toThrow(
      /not configured/,
    );
  });

  it('refuses a malformed setting with a message naming it', () => {
    expect(() => parseMasterKey('no-colon', 'BACKBONE_MASTER_KEY')).toThrow(/BACKBONE_MASTER_KEY/);
    expect(() => parseMasterKey(`k:${randomBytes(16).toString('base64')}`, 'X')).toThrow(
      /32 bytes/,
    );
  });
});
