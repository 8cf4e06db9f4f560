import { Writable } from 'node:stream';
import pino from 'pino';
import { personalDataLogPaths, rootLogger, tapLogs } from './logger';

describe('log redaction', () => {
  it('is driven by the contracts: every personal field, top level and nested', () => {
    const paths = personalDataLogPaths();
    for (const field of ['reason', 'subject', 'text', 'summary', 'outcome', 'assignee', 'actor']) {
      expect(paths).toContain(field);
      expect(paths).toContain(`*.*.${field}`);
    }
  });

  it('censors personal fields wherever a logged command puts them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: personalDataLogPaths(), censor: '[x]' } }, sink);
    logger.info({
      command: { data: { reason: 'Aisha Khan is not safe at home', subject: { name: 'Aisha' } } },
      actor: 'Dr Jones',
      referralId: 'kept',
    });
    const logged = lines.join('');
    expect(logged).not.toMatch(/Aisha|Jones/);
    expect(logged).toContain('kept');
  });

  it('lets a tap see what the root logger writes', () => {
    const seen: string[] = [];
    const stop = tapLogs((line) => seen.push(line));
    rootLogger.warn({ probe: 'tap-check' }, 'probe');
    stop();
    rootLogger.warn('after the tap stopped');
    expect(seen.join('')).toContain('tap-check');
    expect(seen.join('')).not.toContain('after the tap stopped');
  });
});
