import { loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { backboneTopics, retentionSettings } from './backbone-topics';

describe('retention of the backbone topics', () => {
  it('rolls segments at the cap, or sooner when the retention is shorter', () => {
    expect(retentionSettings(3_000, 86_400_000)).toEqual({
      'cleanup.policy': 'delete',
      'retention.ms': '3000',
      'segment.ms': '3000',
      'message.timestamp.type': 'LogAppendTime',
    });
    expect(retentionSettings(604_800_000, 86_400_000)['segment.ms']).toBe('86400000');
    // Kept for ever (development only): segments still roll, at the cap.
    expect(retentionSettings(-1, 86_400_000)).toMatchObject({
      'retention.ms': '-1',
      'segment.ms': '86400000',
    });
  });

  it('gives each topic the retention of its class', () => {
    const config = loadConfig({
      KAFKA_RETENTION_COMMANDS_MS: '1000',
      KAFKA_RETENTION_OUTCOMES_MS: '2000',
      KAFKA_RETENTION_INBOX_MS: '3000',
      KAFKA_RETENTION_EVENTS_MS: '4000',
      KAFKA_RETENTION_DEAD_LETTER_MS: '5000',
    });
    const names = new TopicNames('p.');
    const retentionOf = Object.fromEntries(
      backboneTopics(names, ['a'], config).map((spec) => [
        spec.topic,
        spec.config?.['retention.ms'],
      ]),
    );
    expect(retentionOf).toEqual({
      'p.referrals.commands.a': '1000',
      'p.referrals.outcomes.a': '2000',
      'p.referrals.inbox.a': '3000',
      'p.referrals.events': '4000',
      'p.referrals.dead-letter': '5000',
    });
  });
});
