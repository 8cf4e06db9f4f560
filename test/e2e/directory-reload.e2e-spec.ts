// An agency added to the directory file is served without restarting anything: its topics are
// created, its command topic consumed, its API key accepted; a key taken out of the file is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEMO_API_KEYS, sha256Hex } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';
import { TopicWatcher } from '../support/topic-watcher';

const demoFile = join(__dirname, '../../libs/directory/src/demo/demo-directory.json');
const NEWCOMER = 'randers-youth-club';
const NEWCOMER_KEY = 'youth-club-key-for-this-test-only';

describe('directory changes without a restart', () => {
  let backbone: BackboneUnderTest;
  let directoryFile: string;
  let newcomerWatcher: TopicWatcher | undefined;

  beforeAll(async () => {
    directoryFile = join(mkdtempSync(join(tmpdir(), 'backbone-directory-')), 'directory.json');
    writeFileSync(directoryFile, readFileSync(demoFile));
    backbone = await BackboneUnderTest.start(() => [], { directoryFile, directoryReloadMs: 200 });
  });
  afterAll(async () => {
    await newcomerWatcher?.stop();
    await backbone?.stop();
  });

  it('serves a newly added agency’s command topic and API key within seconds', async () => {
    const directory = JSON.parse(readFileSync(directoryFile, 'utf8')) as { agencies: object[] };
    directory.agencies.push({
      id: NEWCOMER,
      name: 'Randers Youth Club',
      sector: 'education',
      accepts: ['education-welfare'],
      apiKeySha256: [sha256Hex(NEWCOMER_KEY)],
    });
    writeFileSync(directoryFile, JSON.stringify(directory));

    const admin = new Kafka({
      brokers: backbone.config.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await eventually(
      async () =>
        (await admin.listTopics()).includes(backbone.topics.outcomes(NEWCOMER)) ? true : undefined,
      'the new agency’s topics',
    );
    await admin.disconnect();
    newcomerWatcher = await TopicWatcher.start(backbone.config.kafkaBrokers, [
      backbone.topics.outcomes(NEWCOMER),
    ]);

    const command = makeReferralCommand(NEWCOMER, 'randers-social');
    await backbone.sendCommand(NEWCOMER, JSON.stringify(command), command.subject);
    const outcome = await newcomerWatcher.waitFor(
      (r) => r.json?.causationid === command.id,
      'the newcomer’s outcome',
      30_000,
    );
    expect(outcome.json?.type).toBe('command.accepted');

    const inbox = await backbone.http(`/v1/agencies/${NEWCOMER}/outbox`, NEWCOMER_KEY);
    expect(inbox.status).toBe(200);
    // The agencies already there are still served.
    const social = await backbone.http(
      '/v1/agencies/randers-social/inbox',
      DEMO_API_KEYS['randers-social'],
    );
    expect(social.status).toBe(200);
  });

  it('keeps the current directory when the file becomes invalid', async () => {
    writeFileSync(directoryFile, '{"agencies": [ broken');
    await new Promise((r) => setTimeout(r, 600));
    expect((await backbone.http(`/v1/agencies/${NEWCOMER}/outbox`, NEWCOMER_KEY)).status).toBe(200);
  });

  it('refuses a revoked key within seconds, and takes its replacement', async () => {
    const rotatedKey = 'youth-club-rotated-key-for-this-test-only';
    const directory = JSON.parse(readFileSync(demoFile, 'utf8')) as { agencies: object[] };
    directory.agencies.push({
      id: NEWCOMER,
      name: 'Randers Youth Club',
      sector: 'education',
      accepts: ['education-welfare'],
      apiKeySha256: [sha256Hex(rotatedKey)],
    });
    writeFileSync(directoryFile, JSON.stringify(directory));

    const outbox = `/v1/agencies/${NEWCOMER}/outbox`;
    await eventually(
      async () => ((await backbone.http(outbox, NEWCOMER_KEY)).status === 401 ? true : undefined),
      'the revoked key refused',
    );
    expect((await backbone.http(outbox, rotatedKey)).status).toBe(200);
  });
});
