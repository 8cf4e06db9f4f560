import type { AgendaItems } from './agenda.queries';
import { csvText } from './csv-text';

const HEADER = [
  'kind',
  'referral_id',
  'case_id',
  'root_referral_id',
  'agencies',
  'from_agency',
  'to_agency',
  'status',
  'redirects',
  'since',
  'days',
  'declined_at',
];

type Row = Partial<Record<(typeof HEADER)[number], string | number>>;

/**
 * The agenda as one CSV, a row per item with its `kind`. `since` and `days` are each kind's
 * own: the chain's first making, the decision deadline, the proposal, the closing.
 */
export function agendaCsv(items: AgendaItems): string {
  const rows: Row[] = [
    ...items.redirectChains.map((item) => ({
      kind: 'redirect-chain',
      referral_id: item.latestReferralId,
      root_referral_id: item.rootReferralId,
      agencies: item.agencies.join(' > '),
      from_agency: item.agencies[0],
      to_agency: item.agencies[item.agencies.length - 1],
      status: item.latestStatus,
      redirects: item.redirects,
      since: item.since,
      days: item.days,
    })),
    ...items.overdueDecisions.map((item) => ({
      kind: 'overdue-decision',
      referral_id: item.referralId,
      from_agency: item.from,
      to_agency: item.to,
      status: item.status,
      since: item.dueBy,
      days: item.daysOverdue,
    })),
    ...items.waitingHandovers.map((item) => ({
      kind: 'waiting-handover',
      case_id: item.caseId,
      from_agency: item.from,
      to_agency: item.to,
      status: item.status,
      since: item.proposedAt,
      days: item.daysWaiting,
    })),
    ...items.closedAfterDecline.map((item) => ({
      kind: 'closed-after-decline',
      case_id: item.caseId,
      // The handover's direction: the agency that proposed it (and closed the case), the one
      // that declined it.
      from_agency: item.closedBy,
      to_agency: item.declinedBy,
      status: 'closed',
      since: item.closedAt,
      days: item.daysSinceClosed,
      declined_at: item.declinedAt,
    })),
  ];
  return csvText(
    HEADER,
    rows.map((row) => HEADER.map((name) => row[name])),
  );
}
