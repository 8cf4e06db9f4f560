import { randomBytes, randomUUID } from 'node:crypto';
import { AuthenticationFailedError, newDataKey } from './aes-gcm';
import { EventParts, keyIdsOf, needsSealing, openEvent, sealEvent } from './event-sealing';
import { MasterKeyring, parseMasterKey } from './master-keyring';
import { ERASED, UNREADABLE, isSealed, openValue, sealValue } from './sealed-value';
import type { KeyForOpening } from './subject-keys';

const keyId = randomUUID();
const key = newDataKey();
const made: EventParts = {
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
};
const present = (k = key): Map<string, KeyForOpening> =>
  new Map([[keyId, { state: 'present', key: k }]]);

describe('sealing the personal fields of an event', () => {
  const sealed = sealEvent(made, keyId, key);

  it('seals exactly the classified fields and the actor, and leaves the rest as it was', () => {
    expect(isSealed(sealed.data.reason)).toBe(true);
    expect(isSealed(sealed.data.subject)).toBe(true);
    expect(isSealed(sealed.metadata.actor)).toBe(true);
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

  it('keeps values that are already sealed (copied from a stored event) as they are', () => {
    expect(needsSealing(sealed)).toBe(false);
    expect(needsSealing(made)).toBe(true);
    expect(sealEvent(sealed, keyId, newDataKey())).toEqual(sealed);
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
    const reason = sealed.data.reason as string;
    const flipped = reason.slice(0, -3) + (reason.at(-3) === 'A' ? 'B' : 'A') + reason.slice(-2);
    const tampered: EventParts = { ...sealed, data: { ...sealed.data, reason: flipped } };
    const opened = openEvent(tampered, present());
    expect(opened.event.data.reason).toBe(UNREADABLE);
    expect(opened.unreadable).toEqual(['data.reason']);
    expect(opened.event.data.subject).toEqual(made.data.subject);
  });

  it('binds each value to its field: a sealed reason moved into another field does not open', () => {
    const moved: EventParts = { ...sealed, data: { ...sealed.data, subject: sealed.data.reason } };
    expect(openEvent(moved, present()).unreadable).toEqual(['data.subject']);
  });

  it('does not open with another key', () => {
    expect(() => openValue(sealValue(keyId, key, 'text', 'x'), newDataKey(), 'text')).toThrow(
      AuthenticationFailedError,
    );
  });

  it('leaves events of types without personal fields alone', () => {
    const received = { type: 'referral.received.v1', data: { referralId: 'r' }, metadata: {} };
    expect(needsSealing(received)).toBe(false);
    expect(sealEvent(received, keyId, key)).toEqual(received);
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
