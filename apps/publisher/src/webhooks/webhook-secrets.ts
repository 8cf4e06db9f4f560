import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { MasterKeyring, WrappedKey } from '@backbone/data-protection';

/** A new signing secret as Standard Webhooks writes one: `whsec_` and base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Secrets are kept sealed under the master keyring, as subjects' data keys are: the context
 * binds each to its subscription and secret id, so a sealed secret moved to another row does
 * not open. The backbone needs the secret itself to sign (HMAC), so a hash would not do.
 */
const contextOf = (subscriptionId: string, secretId: number): string =>
  `webhook-secret:${subscriptionId}:${secretId}`;

export function sealSecret(
  keyring: MasterKeyring,
  subscriptionId: string,
  secretId: number,
  secret: string,
): WrappedKey {
  return keyring.wrap(Buffer.from(secret, 'utf8'), contextOf(subscriptionId, secretId));
}

export function openSecret(
  keyring: MasterKeyring,
  subscriptionId: string,
  secretId: number,
  sealed: WrappedKey,
): string {
  return keyring.unwrap(sealed, contextOf(subscriptionId, secretId)).toString('utf8');
}

/** The Standard Webhooks headers of one delivery. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `body` under every secret in force (several during a rotation: Standard Webhooks lets
 * `webhook-signature` carry one `v1,<signature>` per secret, separated by spaces), so a receiver
 * holding either the old or the new secret accepts the delivery.
 */
export function signDelivery(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): WebhookHeaders {
  if (!secrets.length) throw new Error('a delivery needs at least one secret to be signed with');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
