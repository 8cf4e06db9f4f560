import { generateKeyPairSync } from 'node:crypto';
import { chainedStream, headOf } from '../verification/chain-test-events';
import { signContent } from './bundle-signature';
import { checkEvidenceBundle } from './check-bundle';
import { BUNDLE_FORMAT, BundleContent, EvidenceBundle } from './evidence-bundle';
import { parseSigningKey, publishedForm } from './signing-key';

const backbone = parseSigningKey(
  generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64'),
);

function bundle(key = backbone): EvidenceBundle {
  const events = chainedStream('referral-1', 4).map(({ transactionId: _, ...event }) => event);
  const content: BundleContent = {
    format: BUNDLE_FORMAT,
    exportedAt: '2025-03-01T12:00:00.000Z',
    exportedBy: {
      auditor: 'audit-office',
      purpose: 'SCR-2025-014',
      accessEventId: 'e',
      accessStream: 'audit-audit-office',
    },
    referralId: '1',
    streams: [
      {
        streamId: 'referral-1',
        head: headOf(events),
        events,
        verification: { valid: true, events: 4 },
      },
    ],
    opened: {},
    unreadable: [],
  };
  return {
    content,
    signature: {
      alg: 'EdDSA',
      kid: key.published.kid,
      publicKey: key.published,
      signed: 'canonical JSON (sorted keys, no whitespace) of content, UTF-8',
      value: signContent(content, key.privateKey),
    },
  };
}

/** The bundle as a file would hold it, changed by `change`. */
const changed = (change: (b: EvidenceBundle) => void): EvidenceBundle => {
  const copy = JSON.parse(JSON.stringify(bundle())) as EvidenceBundle;
  change(copy);
  return copy;
};

describe('checking an evidence bundle offline', () => {
  it('finds an untouched bundle intact, against the trusted key and the carried one', () => {
    const file = JSON.parse(JSON.stringify(bundle())) as unknown;
    expect(checkEvidenceBundle(file, backbone.publicKey)).toMatchObject({
      intact: true,
      pinned: true,
      keyId: backbone.published.kid,
      problems: [],
      streams: [{ streamId: 'referral-1', valid: true, events: 4 }],
    });
    expect(checkEvidenceBundle(file)).toMatchObject({ intact: true, pinned: false });
  });

  it.each([
    ['an event field', (b: EvidenceBundle) => (b.content.streams[0].events[1].data.n = 7)],
    ['a hash', (b: EvidenceBundle) => (b.content.streams[0].events[1].hash = '00'.repeat(32))],
    ['a deleted event', (b: EvidenceBundle) => b.content.streams[0].events.splice(2, 1)],
    [
      'the verification result',
      (b: EvidenceBundle) => (b.content.streams[0].verification.valid = false),
    ],
    ['the auditor', (b: EvidenceBundle) => (b.content.exportedBy.auditor = 'someone-else')],
    ['the export time', (b: EvidenceBundle) => (b.content.exportedAt = '2025-03-02T12:00:00.000Z')],
    [
      'the signature',
      (b: EvidenceBundle) =>
        (b.signature.value = b.signature.value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))),
    ],
  ])('finds a change to %s', (_, change) => {
    const check = checkEvidenceBundle(changed(change), backbone.publicKey);
    expect(check.intact).toBe(false);
    expect(check.problems.join(' ')).toMatch(/signature does not match/);
  });

  it('refuses a bundle re-signed with another key when the backbone key is trusted', () => {
    const forger = parseSigningKey(
      generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
    );
    const forged = JSON.parse(JSON.stringify(bundle(forger))) as unknown;
    expect(checkEvidenceBundle(forged).intact).toBe(true);
    expect(checkEvidenceBundle(forged, backbone.publicKey)).toMatchObject({
      intact: false,
      keyId: publishedForm(backbone.publicKey).kid,
    });
  });

  it('finds a recorded verification that does not recompute, even when signed', () => {
    const lying = bundle();
    lying.content.streams[0].events[1].data.n = 7;
    lying.signature.value = signContent(lying.content, backbone.privateKey);
    const check = checkEvidenceBundle(JSON.parse(JSON.stringify(lying)), backbone.publicKey);
    expect(check.problems).toEqual([
      'referral-1: the recorded verification does not recompute from its events',
    ]);
    expect(check.streams[0]).toMatchObject({ valid: false, firstBrokenAt: 2 });
  });

  it('refuses what is not a bundle', () => {
    expect(checkEvidenceBundle({ hello: 'world' }).problems[0]).toMatch(/not an evidence bundle/);
  });
});
