import { Webhook } from 'standardwebhooks';
import { MasterKeyring } from '@backbone/data-protection';
import { newWebhookSecret, openSecret, sealSecret, signDelivery } from './webhook-secrets';

describe('webhook secrets and signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'referral.made.v1' });

  it('signs so that the standardwebhooks library verifies, with either secret during a rotation', () => {
    const old = newWebhookSecret();
    const fresh = newWebhookSecret();
    const headers = signDelivery([fresh, old], 'e1', new Date(), body);
    expect(headers['webhook-id']).toBe('e1');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(old).verify(`${body} `, { ...headers })).toThrow();
  });

  it('makes secrets in the whsec_ form of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('keeps secrets sealed, opening only for the subscription and id they were sealed for', () => {
    const keyring = new MasterKeyring({ id: 'k1', key: Buffer.alloc(32, 7) });
    const secret = newWebhookSecret();
    const sealed = sealSecret(keyring, 'wh_a', 1, secret);
    expect(sealed.wrapped.toString('latin1')).not.toContain(secret.slice(6, 20));
    expect(openSecret(keyring, 'wh_a', 1, sealed)).toBe(secret);
    expect(() => openSecret(keyring, 'wh_b', 1, sealed)).toThrow();
    expect(() => openSecret(keyring, 'wh_a', 2, sealed)).toThrow();
  });
});
