import { EVENT_DATA_CLASSES, REFERRAL_MADE_V1, ReferralMadeV1 } from '@backbone/contracts';
import { ReferralStatus, referralStatusAfter } from '@backbone/domain';
import type { ProjectedEvent } from '../engine/projected-event';

/** The events that make a referral or move its status: what a row per referral folds. */
export const REFERRAL_ROW_EVENT_TYPES: readonly string[] = Object.keys(EVENT_DATA_CLASSES).filter(
  (type) => referralStatusAfter(type),
);

/** The referral an event concerns: the made event names it, later ones are its subject. */
export const referralOf = (event: ProjectedEvent): string =>
  event.type === REFERRAL_MADE_V1 ? (event.data as ReferralMadeV1).referralId : event.subject;

/**
 * A fold of one row per referral: the made event makes the row (once), an event that moves the
 * referral's status changes it, anything else leaves it. A row only ever moves forward (stream
 * version guard): a redelivered or late event at or below the version the row shows changes
 * nothing, and the row is returned as it was, the same object.
 */
export function referralRowFold<R extends { stream_version: number }>(how: {
  made(made: ReferralMadeV1, event: ProjectedEvent, version: number): R;
  moved(row: R, event: ProjectedEvent, status: ReferralStatus, version: number): R;
}): (row: R | undefined, event: ProjectedEvent) => R | undefined {
  return (row, event) => {
    const version = event.streamversion;
    if (version === undefined) return row;
    if (event.type === REFERRAL_MADE_V1)
      return row ?? how.made(event.data as ReferralMadeV1, event, version);
    const status = referralStatusAfter(event.type);
    if (!status || !row || row.stream_version >= version) return row;
    return how.moved(row, event, status, version);
  };
}
