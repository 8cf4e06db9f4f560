import { TopicNames } from '@backbone/contracts';
import { kindOfTopic, recordsPerCommand } from './kafka-traffic';

describe('Kafka records per command', () => {
  const names = new TopicNames('t1.');

  it('tells the backbone topics apart by kind, and ignores the rest', () => {
    expect(kindOfTopic('t1.referrals.commands.randers-school', names)).toBe('commands');
    expect(kindOfTopic('t1.referrals.outcomes.randers-school', names)).toBe('outcomes');
    expect(kindOfTopic('t1.referrals.inbox.randers-social', names)).toBe('inbox');
    expect(kindOfTopic('t1.referrals.events', names)).toBe('events');
    expect(kindOfTopic('t1.referrals.dead-letter', names)).toBe('dead-letter');
    expect(kindOfTopic('referrals.events', names)).toBeUndefined();
    expect(kindOfTopic('t1.referrals.commands.', names)).toBeUndefined();
    expect(kindOfTopic('__consumer_offsets', names)).toBeUndefined();
  });

  it('divides what was written in between by the commands sent', () => {
    const zero = { commands: 0, outcomes: 0, events: 0, inbox: 0, 'dead-letter': 0 };
    const after = { commands: 10, outcomes: 10, events: 10, inbox: 20, 'dead-letter': 0 };
    expect(recordsPerCommand(zero, after, 10)).toEqual({
      commands: 1,
      outcomes: 1,
      events: 1,
      inbox: 2,
      'dead-letter': 0,
    });
  });
});
