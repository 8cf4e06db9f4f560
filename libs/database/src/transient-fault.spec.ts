import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
} from 'kafkajs';
import { KafkaJSProtocolError } from 'kafkajs';
import { isFaultOfTheRecord, isSystemicFault, isTransientFault } from './transient-fault';

const pgError = (code: string, message = 'pg error'): Error =>
  Object.assign(new Error(message), { code });

describe('isTransientFault', () => {
  it.each([
    ['connection failure (08006)', pgError('08006')],
    ['cannot connect now (57P03)', pgError('57P03')],
    ['admin shutdown (57P01)', pgError('57P01')],
    ['query canceled (57014)', pgError('57014')],
    ['too many connections (53300)', pgError('53300')],
    ['disk full (53100)', pgError('53100')],
    ['system I/O error (58030)', pgError('58030')],
    ['serialization failure (40001)', pgError('40001')],
    ['deadlock (40P01)', pgError('40P01')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['ETIMEDOUT', Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a retriable kafkajs error', new KafkaJSConnectionError('broker down')],
    ['a fault wrapped as a cause', new Error('could not apply', { cause: pgError('08001') })],
    ['one of an AggregateError', new AggregateError([pgError('22008'), pgError('40P01')])],
    [
      'kafkajs giving up on a broker that is down',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('broker down'), {
        retryCount: 5,
        retryTime: 100,
      }),
    ],
    ['a lock not available (55P03)', pgError('55P03')],
  ])('is true for %s', (_, error) => {
    expect(isTransientFault(error)).toBe(true);
  });

  it.each([
    ['datetime field overflow (22008)', pgError('22008', 'date/time field value out of range')],
    ['time zone displacement out of range (22009)', pgError('22009')],
    ['invalid text representation (22P02)', pgError('22P02')],
    ['untranslatable character (22P05)', pgError('22P05')],
    ['unique violation (23505)', pgError('23505')],
    ['undefined column (42703)', pgError('42703')],
    ['a TypeError of the code', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a RangeError', new RangeError('Invalid time value')],
    ['a non-retriable kafkajs error', new KafkaJSNonRetriableError('bad')],
    [
      'kafkajs retries exhausted (not retriable)',
      new KafkaJSNumberOfRetriesExceeded(new TypeError('x'), { retryCount: 5, retryTime: 100 }),
    ],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
    ['null', null],
    ['a code that is a number', Object.assign(new Error('x'), { code: 8006 })],
  ])('is false for %s', (_, error) => {
    expect(isTransientFault(error)).toBe(false);
  });

  it('does not follow a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isTransientFault(a)).toBe(false);
  });
});

describe('isSystemicFault', () => {
  it.each([
    ['undefined table (42P01)', pgError('42P01')],
    ['undefined column (42703)', pgError('42703')],
    ['insufficient privilege (42501)', pgError('42501')],
    ['invalid schema name (3F000)', pgError('3F000')],
    ['object not in prerequisite state (55000)', pgError('55000')],
    ['internal error (XX000)', pgError('XX000')],
  ])('is true for %s: every record would fail alike', (_, error) => {
    expect(isSystemicFault(error)).toBe(true);
  });

  it.each([
    ['datetime field overflow (22008)', pgError('22008')],
    ['check violation (23514)', pgError('23514')],
    ['a TypeError', new TypeError('x')],
    ['a connection failure (08006)', pgError('08006')],
    ['undefined', undefined],
  ])('is false for %s', (_, error) => {
    expect(isSystemicFault(error)).toBe(false);
  });
});

describe('isFaultOfTheRecord', () => {
  const tooLarge = (): Error =>
    new KafkaJSProtocolError(
      Object.assign(new Error('too large'), {
        type: 'MESSAGE_TOO_LARGE',
        code: 10,
        retriable: false,
      }),
    );

  it.each([
    ['a value PostgreSQL refuses (22P05)', pgError('22P05')],
    ['a TypeError on a shape nobody foresaw', new TypeError('x')],
    ['a record Kafka refuses as too large', tooLarge()],
    [
      'Kafka refusing it after retries',
      new KafkaJSNumberOfRetriesExceeded(tooLarge(), { retryCount: 1, retryTime: 1 }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isFaultOfTheRecord(error)).toBe(true);
  });

  it.each([
    ['a lost connection', pgError('08006')],
    ['a missing table', pgError('42P01')],
    ['a broker refusing the client (not retriable)', new KafkaJSNonRetriableError('no ACL')],
    [
      'kafkajs giving up on a broker that is down',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('down'), {
        retryCount: 5,
        retryTime: 100,
      }),
    ],
  ])('is false for %s', (_, error) => {
    expect(isFaultOfTheRecord(error)).toBe(false);
  });
});
