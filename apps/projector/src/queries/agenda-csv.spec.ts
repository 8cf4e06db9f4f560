import { HttpException } from '@nestjs/common';
import { agendaCsv } from './agenda-csv';
import { handoverDaysOf } from './insights-agenda.http.controller';

const R1 = '0b0f3a54-4d43-4c1e-9d0a-6b1f7f0e2a11';
const R2 = '0b0f3a54-4d43-4c1e-9d0a-6b1f7f0e2a12';
const C1 = 'c1d2e3f4-0000-4000-8000-000000000001';
const AT = '2026-05-01T08:00:00.000Z';

describe('the agenda as CSV', () => {
  it('has one row per item with its kind, each kind’s since and days in the same columns', () => {
    const csv = agendaCsv({
      redirectChains: [
        {
          rootReferralId: R1,
          latestReferralId: R2,
          agencies: ['a', 'b', 'c', 'd'],
          redirects: 2,
          latestStatus: 'requested',
          since: AT,
          days: 31,
        },
      ],
      overdueDecisions: [
        { referralId: R2, from: 'a', to: 'd', status: 'requested', dueBy: AT, daysOverdue: 3 },
      ],
      waitingHandovers: [
        { caseId: C1, from: 'b', to: 'c', status: 'proposed', proposedAt: AT, daysWaiting: 20 },
      ],
      closedAfterDecline: [
        {
          caseId: C1,
          closedBy: 'b',
          declinedBy: 'c',
          declinedAt: AT,
          closedAt: AT,
          daysSinceClosed: 1,
        },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'kind,referral_id,case_id,root_referral_id,agencies,from_agency,to_agency,status,redirects,since,days,declined_at',
      `redirect-chain,${R2},,${R1},a > b > c > d,a,d,requested,2,${AT},31,`,
      `overdue-decision,${R2},,,,a,d,requested,,${AT},3,`,
      `waiting-handover,,${C1},,,b,c,proposed,,${AT},20,`,
      `closed-after-decline,,${C1},,,b,c,closed,,${AT},1,${AT}`,
      '',
    ]);
  });

  it('quotes a field holding a separator, quote or line break (RFC 4180)', () => {
    const csv = agendaCsv({
      redirectChains: [],
      overdueDecisions: [
        { referralId: 'x,"y"', from: 'a\nb', to: 'c', status: 's', dueBy: AT, daysOverdue: 0 },
      ],
      waitingHandovers: [],
      closedAfterDecline: [],
    });
    expect(csv.split('\r\n')[1]).toBe(`overdue-decision,"x,""y""",,,,"a\nb",c,s,,${AT},0,`);
  });
});

describe('handoverDays', () => {
  it('is 14 when not given, and any whole number of days from 1 to 365', () => {
    expect(handoverDaysOf(undefined)).toBe(14);
    expect(handoverDaysOf('')).toBe(14);
    expect(handoverDaysOf('1')).toBe(1);
    expect(handoverDaysOf('365')).toBe(365);
    expect(handoverDaysOf('007')).toBe(7);
  });

  it('is refused (400) otherwise', () => {
    const statusOf = (value: unknown): number => {
      try {
        handoverDaysOf(value);
        return 200;
      } catch (error) {
        return (error as HttpException).getStatus();
      }
    };
    for (const value of ['0', '366', '-1', '1.5', '1e2', ' 7', '7d', '9'.repeat(400), ['1', '2']])
      expect([value, statusOf(value)]).toEqual([value, 400]);
  });
});
