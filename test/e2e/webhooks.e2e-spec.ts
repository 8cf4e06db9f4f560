// Webhooks (CONTRACT §8), as an agency system without Kafka receives them: real HTTP receivers
// on loopback verify every delivery with the standardwebhooks library; a receiver that is down
// gets everything once it is up, in each referral's order; one that hangs holds up no other
// agency; parked deliveries are re-driven; secrets rotate with a grace period; SSRF targets are
// refused; deliveries survive a restart and two instances share the work.
import { INestApplication } from '@nestjs/common';
import { BackboneConfig, WebhookConfig, loadConfig } from '@backbone/config';
import { DEMO_API_KEYS } from '@backbone/directory';
import { startBackbone } from '@backbone/backbone';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { createTestDatabase, testConfig } from '../support/test-stack';
import { ReceivedDelivery, WebhookReceiver } from '../support/webhook-receiver';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const GP = 'redbridge-gp-team';
const HOUSING = 'redbridge-housing';
const DEBT = 'redbridge-debt-advice';
const JOBCENTRE = 'ilford-jobcentre';
const OPERATOR = 'demo-ops-team';

/** Short enough for a test: retries within seconds, parked after 8 s, hangs cut after 15 s. */
const webhooks = (overrides: Partial<WebhookConfig> = {}): WebhookConfig => ({
  ...loadConfig({}).webhooks,
  retryWindowMs: 8000,
  retryBaseMs: 200,
  retryMaxDelayMs: 1000,
  attemptTimeoutMs: 15_000,
  concurrencyPerEndpoint: 4,
  breakerThreshold: 3,
  breakerCooldownMs: 500,
  pollMs: 100,
  ...overrides,
});

interface Made {
  id: string;
  url: string;
  types: string[] | null;
  secret: string;
}

type Requester = (path: string, key: string, init?: RequestInit) => Promise<Response>;

const subscribe = async (http: Requester, agency: string, body: object) => {
  const response = await http(`/v1/agencies/${agency}/webhooks`, DEMO_API_KEYS[agency], {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Made & { detail?: string } };
};

const send = async (http: Requester, agency: string, command: object): Promise<number> => {
  const response = await http('/v1/commands', DEMO_API_KEYS[agency], {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(command),
  });
  expect(response.status).toBe(200);
  return Date.now();
};

/** The first accepted copy of each event: what a receiver deduplicating by webhook-id keeps. */
const deduplicated = (deliveries: ReceivedDelivery[]): ReceivedDelivery[] => {
  const seen = new Set<string>();
  return deliveries.filter((d) => !seen.has(d.webhookId) && !!seen.add(d.webhookId));
};

/** Per subject, the stream versions in the order they were taken in. */
const versionsBySubject = (deliveries: ReceivedDelivery[]): Map<string, number[]> => {
  const bySubject = new Map<string, number[]>();
  for (const { event } of deliveries) {
    bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event.streamversion]);
  }
  return bySubject;
};

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('webhooks', () => {
  let backbone: BackboneUnderTest;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  };
  const http: Requester = (path, key, init) => backbone.http(path, key, init);

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => [], { webhooks: webhooks() });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await backbone?.stop();
  });

  /** Every event of the agency's inbox about these subjects, from the changes feed. */
  const inboxEvents = async (agency: string, subjects: Set<string>) => {
    const events: ReceivedDelivery['event'][] = [];
    let cursor = '';
    for (;;) {
      const response = await http(
        `/v1/agencies/${agency}/inbox/changes?limit=500&after=${cursor}`,
        DEMO_API_KEYS[agency],
      );
      const body = (await response.json()) as { events: ReceivedDelivery['event'][]; next: string };
      if (!body.events.length) return events.filter((e) => subjects.has(e.subject));
      events.push(...body.events);
      cursor = body.next;
    }
  };

  it('delivers every event once in effect, in per-referral order, after the receiver was down', async () => {
    const social = await receiver();
    let up = false;
    social.answer = () => (up ? 200 : 503);
    const made = await subscribe(http, SOCIAL, { url: social.url });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    social.secrets = [made.body.secret];

    const referrals = Array.from({ length: 4 }, () => makeReferralCommand(SCHOOL, SOCIAL));
    for (const command of referrals) await send(http, SCHOOL, command);
    for (const { subject } of referrals) {
      await send(
        http,
        SOCIAL,
        commandFrom(SOCIAL, 'referral.acknowledge.v1', subject, { referralId: subject }),
      );
    }
    for (const { subject } of referrals) {
      await send(
        http,
        SOCIAL,
        commandFrom(SOCIAL, 'referral.accept.v1', subject, { referralId: subject }),
      );
    }
    // Down until it has turned away a good number of attempts.
    await eventually(
      async () => (social.received.length >= 6 ? true : undefined),
      'attempts at the receiver',
    );
    up = true;

    const subjects = new Set<string>(referrals.map((r) => r.subject));
    const expected = await eventually(async () => {
      const events = await inboxEvents(SOCIAL, subjects);
      return events.length === referrals.length * 3 ? events : undefined;
    }, 'the inbox feed');
    await eventually(async () => {
      const taken = new Set(social.accepted().map((d) => d.webhookId));
      return expected.every((e) => taken.has(e.id)) ? true : undefined;
    }, 'every inbox event at the receiver');

    expect(social.received.every((d) => d.verified)).toBe(true);
    expect(social.received.some((d) => d.answered === 503)).toBe(true);
    const kept = deduplicated(social.accepted()).filter((d) => subjects.has(d.event.subject));
    expect(kept.map((d) => d.webhookId).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(kept.every((d) => d.webhookId === d.event.id)).toBe(true);
    for (const [, versions] of versionsBySubject(kept)) expect(versions).toEqual([1, 2, 3]);
    // The same CloudEvents as the inbox feed, personal data opened.
    expect(kept.find((d) => d.event.type === 'referral.made.v1')?.body).toContain(
      '"family":"Nielsen"',
    );
    const byId = new Map(expected.map((e) => [e.id, e]));
    for (const d of kept) expect(d.event).toEqual(byId.get(d.webhookId));
    const duplicates = social.accepted().length - deduplicated(social.accepted()).length;
    process.stdout.write(
      `[webhooks] receiver down then up: ${kept.length} events, ${social.received.length} requests ` +
        `(${social.received.filter((d) => d.answered === 503).length} answered 503), ${duplicates} duplicates\n`,
    );
  });

  it("does not let a receiver that hangs delay another agency's deliveries", async () => {
    const social = receivers[0];
    social.answer = () => 200;
    const measure = async (from: string, count: number) => {
      const latencies: number[] = [];
      for (let i = 0; i < count; i++) {
        const command = makeReferralCommand(from, SOCIAL);
        // From the moment it is sent: the backbone and this receiver share one event loop here,
        // so the webhook may arrive before the command's answer is read.
        const sent = Date.now();
        await send(http, from, command);
        const arrived = await eventually(
          async () => social.accepted().find((d) => d.event.subject === command.subject),
          'the delivery at the other agency',
        );
        latencies.push(arrived.receivedAt - sent);
      }
      return latencies;
    };
    const before = await measure(SCHOOL, 10);

    const police = await receiver();
    police.answer = () => 'hang';
    const made = await subscribe(http, POLICE, { url: police.url });
    police.secrets = [made.body.secret];
    // The hanging receiver's slots fill with the police's own referrals.
    for (let i = 0; i < 6; i++) await send(http, POLICE, makeReferralCommand(POLICE, SOCIAL, {}));
    await eventually(
      async () => (police.hangingNow === 4 ? true : undefined),
      'four hanging requests',
    );
    const during = await measure(SCHOOL, 10);
    // All of them arrived while the hanging endpoint still held every slot it has.
    expect(police.hangingNow).toBe(4);
    expect(police.received.length).toBe(4);
    process.stdout.write(
      `[webhooks] other agency's latency, command sent → webhook received: ` +
        `without a hanging receiver p50 ${percentile(before, 50)} / max ${Math.max(...before)} ms; ` +
        `with one (4 requests hanging) p50 ${percentile(during, 50)} / max ${Math.max(...during)} ms\n`,
    );
  });

  it('parks deliveries after the last retry, marks the webhook failing, and re-drives them', async () => {
    const housing = await receiver();
    housing.answer = () => 500;
    housing.responseBody = 'x'.repeat(5000);
    const made = await subscribe(http, HOUSING, {
      url: housing.url,
      types: ['referral.made.v1', 'referral.received.v1'],
    });
    housing.secrets = [made.body.secret];
    const base = `/v1/agencies/${HOUSING}/webhooks/${made.body.id}`;
    const key = DEMO_API_KEYS[HOUSING];

    const command = makeReferralCommand(GP, HOUSING, {
      data: { ...makeReferralCommand(GP, HOUSING).data, category: 'housing-support' },
    });
    (command.data as { referralId: string }).referralId = command.subject;
    await send(http, GP, command);
    const log = async (query = '') =>
      (await (await http(`${base}/deliveries${query}`, key)).json()) as {
        deliveries: {
          eventType: string;
          state: string;
          attempts: number;
          lastStatus: number;
          lastResponseExcerpt: string;
        }[];
      };
    const parked = await eventually(
      async () => {
        const { deliveries } = await log('?state=parked');
        return deliveries.length ? deliveries : undefined;
      },
      'a parked delivery',
      40_000,
    );
    expect(parked[0]).toMatchObject({
      eventType: 'referral.made.v1',
      state: 'parked',
      lastStatus: 500,
    });
    expect(parked[0].attempts).toBeGreaterThan(1);
    expect(parked[0].lastResponseExcerpt.length).toBeLessThanOrEqual(256);
    const listed = (await (await http(`/v1/agencies/${HOUSING}/webhooks`, key)).json()) as {
      webhooks: { id: string; status: string; parked: number }[];
    };
    expect(listed.webhooks[0]).toMatchObject({ id: made.body.id, status: 'failing', parked: 1 });
    const endpoints = (await (await http('/ops/api/webhooks', DEMO_API_KEYS[OPERATOR])).json()) as {
      subscriptionId: string;
      status: string;
      parked: number;
      failedLast5m: number;
    }[];
    expect(endpoints.find((w) => w.subscriptionId === made.body.id)).toMatchObject({
      status: 'failing',
      parked: 1,
    });
    expect((await http('/ops/api/webhooks', key)).status).toBe(403);
    const metrics = await (await http('/metrics', DEMO_API_KEYS[OPERATOR])).text();
    const series = `{subscription="${made.body.id}",agency="${HOUSING}"}`;
    expect(metrics).toContain(`backbone_webhook_parked${series} 1`);
    expect(metrics).toMatch(
      new RegExp(
        `backbone_webhook_oldest_undelivered_seconds${series.replace(/[{}]/g, '\\$&')} [1-9]`,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(
        `backbone_webhook_attempts_total\\{subscription="${made.body.id}",agency="${HOUSING}",outcome="parked"\\} 1`,
      ),
    );
    expect(JSON.stringify(listed)).not.toContain(made.body.secret);

    // A later event of the same referral waits behind the parked one; none other than wanted types.
    await send(
      http,
      HOUSING,
      commandFrom(HOUSING, 'referral.acknowledge.v1', command.subject, {
        referralId: command.subject,
      }),
    );
    await eventually(
      async () => ((await log('?state=pending')).deliveries.length === 1 ? true : undefined),
      'the later delivery queued',
    );
    const attemptsBefore = housing.received.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(housing.received.length).toBe(attemptsBefore);

    // Others may not re-drive it; the operator may.
    expect(
      (await http(`${base}/deliveries/redrive`, DEMO_API_KEYS[GP], { method: 'POST' })).status,
    ).toBe(403);
    housing.answer = () => 200;
    const redrive = await http(`${base}/deliveries/redrive`, DEMO_API_KEYS[OPERATOR], {
      method: 'POST',
    });
    expect(redrive.status).toBe(201);
    expect(await redrive.json()).toMatchObject({ redriven: 1 });
    await eventually(
      async () => (housing.accepted().length === 2 ? true : undefined),
      'both deliveries after the re-drive',
    );
    expect(housing.accepted().map((d) => d.event.type)).toEqual([
      'referral.made.v1',
      'referral.received.v1',
    ]);
    expect(housing.received.every((d) => d.verified)).toBe(true);
    await eventually(async () => {
      const { webhooks } = (await (await http(`/v1/agencies/${HOUSING}/webhooks`, key)).json()) as {
        webhooks: { status: string }[];
      };
      return webhooks[0].status === 'active' ? true : undefined;
    }, 'the webhook active again');
  });

  it('signs with the old and the new secret during a rotation', async () => {
    const debt = await receiver();
    const made = await subscribe(http, DEBT, { url: debt.url });
    const oldSecret = made.body.secret;
    const rotated = await http(
      `/v1/agencies/${DEBT}/webhooks/${made.body.id}/rotate-secret`,
      DEMO_API_KEYS[DEBT],
      {
        method: 'POST',
      },
    );
    expect(rotated.status).toBe(201);
    const { secret: newSecret, previousSecretsValidUntil } = (await rotated.json()) as {
      secret: string;
      previousSecretsValidUntil: string;
    };
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(previousSecretsValidUntil)).toBeGreaterThan(Date.now());
    debt.secrets = [oldSecret, newSecret];

    const command = makeReferralCommand(DEBT, JOBCENTRE, {
      data: { ...makeReferralCommand(DEBT, JOBCENTRE).data, category: 'employment-support' },
    });
    (command.data as { referralId: string }).referralId = command.subject;
    await send(http, DEBT, command);
    const [delivery] = await eventually(
      async () => (debt.accepted().length ? debt.accepted() : undefined),
      'a delivery',
    );
    expect(delivery.signature.split(' ')).toHaveLength(2);
    expect(WebhookReceiver.verifiesWith(oldSecret, delivery)).toBe(true);
    expect(WebhookReceiver.verifiesWith(newSecret, delivery)).toBe(true);
    expect(
      WebhookReceiver.verifiesWith(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, delivery),
    ).toBe(false);
    // Another agency cannot rotate or see it.
    for (const [method, path] of [
      ['POST', `/v1/agencies/${DEBT}/webhooks/${made.body.id}/rotate-secret`],
      ['GET', `/v1/agencies/${DEBT}/webhooks`],
      ['DELETE', `/v1/agencies/${DEBT}/webhooks/${made.body.id}`],
    ]) {
      expect((await http(path, DEMO_API_KEYS[JOBCENTRE], { method })).status).toBe(403);
    }
  });

  it('refuses private, link-local, metadata and plain-http targets (SSRF), and bad input', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://10.0.0.1/hooks',
      'https://192.168.1.10/hooks',
      'https://[::ffff:10.0.0.1]/hooks',
      'http://example.org/hooks',
      'ftp://example.org/hooks',
      'https://user:password@example.org/hooks',
      'not a url',
    ]) {
      const { status, body } = await subscribe(http, SCHOOL, { url });
      expect({ url, status }).toEqual({ url, status: 400 });
      expect(body.detail).toMatch(/^url refused/);
    }
    for (const bad of [
      {},
      { url: 42 },
      { url: 'http://127.0.0.1:9/x', types: ['no.such.v1'] },
      { url: 'http://127.0.0.1:9/x', types: [] },
    ]) {
      expect((await subscribe(http, SCHOOL, bad)).status).toBe(400);
    }
    const { body } = await subscribe(http, SCHOOL, { url: 'http://127.0.0.1:9/x' });
    const list = async () =>
      (
        (await (await http(`/v1/agencies/${SCHOOL}/webhooks`, DEMO_API_KEYS[SCHOOL])).json()) as {
          webhooks: { id: string }[];
        }
      ).webhooks;
    expect((await list()).map((w) => w.id)).toContain(body.id);
    expect(
      (
        await http(`/v1/agencies/${SCHOOL}/webhooks/${body.id}`, DEMO_API_KEYS[SCHOOL], {
          method: 'DELETE',
        })
      ).status,
    ).toBe(204);
    expect((await list()).map((w) => w.id)).not.toContain(body.id);
  });
});

describe('webhooks across a restart and two instances', () => {
  it('delivers what was queued before a restart, and two instances share the work without doubling it', async () => {
    const database = await createTestDatabase();
    const config: BackboneConfig = testConfig(database.url, {
      webhooks: webhooks({ attemptTimeoutMs: 2000 }),
    });
    const apps: INestApplication[] = [];
    const receiver = await WebhookReceiver.start();
    try {
      let first: INestApplication | undefined = await startBackbone(config, {
        handleSignals: false,
      });
      const base = (await first.getUrl()).replace('[::1]', '127.0.0.1');
      const http: Requester = (path, key, init = {}) =>
        fetch(`${base}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
        });
      receiver.answer = () => 503;
      const made = await subscribe(http, SOCIAL, { url: receiver.url });
      receiver.secrets = [made.body.secret];
      const referrals = Array.from({ length: 20 }, () => makeReferralCommand(SCHOOL, SOCIAL));
      for (const command of referrals) await send(http, SCHOOL, command);
      await eventually(async () => {
        const response = await http(
          `/v1/agencies/${SOCIAL}/webhooks/${made.body.id}`,
          DEMO_API_KEYS[SOCIAL],
        );
        return ((await response.json()) as { pending: number }).pending === 20 ? true : undefined;
      }, 'twenty deliveries queued');
      await first.close();
      first = undefined;

      receiver.answer = () => 200;
      const restarted = { ...config, httpPort: 0 };
      apps.push(await startBackbone(restarted, { handleSignals: false }));
      apps.push(await startBackbone(restarted, { handleSignals: false }));
      const subjects = new Set<string>(referrals.map((r) => r.subject));
      await eventually(
        async () =>
          new Set(
            receiver
              .accepted()
              .filter((d) => subjects.has(d.event.subject))
              .map((d) => d.webhookId),
          ).size === 20
            ? true
            : undefined,
        'every delivery after the restart',
      );
      expect(receiver.received.every((d) => d.verified)).toBe(true);
      const accepted = receiver.accepted().filter((d) => subjects.has(d.event.subject));
      // Two instances, each claiming with FOR UPDATE SKIP LOCKED: no delivery made twice.
      expect(accepted.length).toBe(20);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await receiver.stop();
      await database.drop();
    }
  });
});
