import { MasterKeyring } from '@backbone/data-protection';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { newWebhookSecret } from './webhook-secrets';
import { WebhookSubscriptions, newSubscriptionId } from './webhook-subscriptions.store';

describe('webhook subscriptions in PostgreSQL', () => {
  const keyring = new MasterKeyring({ id: 'k1', key: Buffer.alloc(32, 9) });
  const db = freshTestDatabase({
    over: ({ pool }) => ({ subscriptions: new WebhookSubscriptions(pool, keyring) }),
  });

  const create = (agencyId: string, secret = newWebhookSecret()) =>
    db.subscriptions.create({
      id: newSubscriptionId(),
      agencyId,
      url: 'https://hooks.example.org/x',
      types: null,
      origin: 'api',
      secret,
    });

  it('keeps secrets sealed: the table holds no secret, yet signing finds it', async () => {
    const secret = newWebhookSecret();
    const made = await create('randers-social', secret);
    const { rows } = await db.pool.query<{ sealed: Buffer }>(
      'SELECT sealed FROM webhook_secrets WHERE subscription_id = $1',
      [made.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed.toString('latin1')).not.toContain(secret.slice(6, 20));
    expect(await db.subscriptions.secretsInForce(made.id)).toEqual([secret]);
  });

  it('signs with old and new secrets until the grace period ends', async () => {
    const old = newWebhookSecret();
    const made = await create('randers-social', old);
    const fresh = newWebhookSecret();
    await db.subscriptions.rotate(made.id, fresh, 60_000);
    expect(await db.subscriptions.secretsInForce(made.id)).toEqual([fresh, old]);
    const newest = newWebhookSecret();
    await db.subscriptions.rotate(made.id, newest, 0);
    expect(await db.subscriptions.secretsInForce(made.id)).toEqual([newest]);
  });

  it('shows an agency only its own subscriptions', async () => {
    const mine = await create('redbridge-housing');
    await create('redbridge-gp-team');
    expect((await db.subscriptions.list('redbridge-housing')).map((s) => s.id)).toEqual([mine.id]);
    expect(await db.subscriptions.get('redbridge-gp-team', mine.id)).toBeUndefined();
    expect(await db.subscriptions.delete('redbridge-gp-team', mine.id)).toBe(false);
    expect(await db.subscriptions.delete('redbridge-housing', mine.id)).toBe(true);
  });

  it("brings the directory's webhooks in: made, updated, secret rotated in, removed", async () => {
    const first = newWebhookSecret();
    const entry = {
      id: 'dir_ilford-jobcentre_main',
      agencyId: 'ilford-jobcentre',
      url: 'https://jobs.example.org/a',
      types: null,
      secret: first,
    };
    await db.subscriptions.syncFromDirectory([entry], 60_000);
    const made = await db.subscriptions.get('ilford-jobcentre', entry.id);
    expect(made).toMatchObject({ origin: 'directory', url: entry.url });
    expect(await db.subscriptions.secretsInForce(entry.id)).toEqual([first]);

    const second = newWebhookSecret();
    await db.subscriptions.syncFromDirectory(
      [
        {
          ...entry,
          url: 'https://jobs.example.org/b',
          types: ['referral.made.v1'],
          secret: second,
        },
      ],
      60_000,
    );
    expect(await db.subscriptions.get('ilford-jobcentre', entry.id)).toMatchObject({
      url: 'https://jobs.example.org/b',
      types: ['referral.made.v1'],
    });
    expect(await db.subscriptions.secretsInForce(entry.id)).toEqual([second, first]);
    // Unchanged: nothing rotated.
    await db.subscriptions.syncFromDirectory([{ ...entry, secret: second }], 60_000);
    expect(await db.subscriptions.secretsInForce(entry.id)).toEqual([second, first]);

    const own = await create('ilford-jobcentre');
    await db.subscriptions.syncFromDirectory([], 60_000);
    expect((await db.subscriptions.list('ilford-jobcentre')).map((s) => s.id)).toEqual([own.id]);
  });
});
