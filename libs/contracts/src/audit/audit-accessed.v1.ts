import { IsRealTimestamp } from '../input-safety/real-timestamp';
// The record an auditor's read leaves in the store (CONTRACT §7: every `/v1/audit/*` call).
import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsRFC3339,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { AGENCY_ID_PATTERN } from '../agency';

export const AUDIT_ACCESSED_V1 = 'audit.accessed.v1';

/** What an auditor can ask the backbone for, one name per `/v1/audit/*` route. */
export const AUDIT_OPERATIONS = [
  'referral-history',
  'subject-history',
  'stream-verification',
  'subject-lookup',
  'evidence-export',
  'access-log',
] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

export const MAX_PURPOSE_LENGTH = 500;

/**
 * `audit.accessed.v1`: who read what, why, and what the answer disclosed. Recorded on the
 * auditor's own stream (`auditStreamId`), so each auditor's accesses form one hash chain that
 * other auditors can read and verify. Holds no personal data: people appear only by their
 * pseudonymous subject ids, an identifier looked up only by its keyed hash.
 */
export class AuditAccessedV1 {
  /** The auditor (directory id) who asked. */
  @Matches(AGENCY_ID_PATTERN)
  auditor!: string;

  @IsIn(AUDIT_OPERATIONS)
  operation!: AuditOperation;

  /**
   * What was asked for: a stream id (`referral-<id>`, `subject-<id>`, `audit-<auditor>`, …), or
   * for a lookup `identifier:<system>|<keyed hash of the value>`.
   */
  @IsString()
  @Length(1, 400)
  resource!: string;

  /** The point in time asked about, when the auditor gave one. */
  @IsOptional()
  @IsRFC3339()
  @IsRealTimestamp()
  asOf?: string;

  /** Why, in the auditor's words (free text; no personal details, see the README). */
  @IsString()
  @Length(1, MAX_PURPOSE_LENGTH)
  purpose!: string;

  /** The HTTP status of the answer: 200 read, 404 nothing there, 5xx failed. */
  @IsInt()
  @Min(100)
  @Max(599)
  status!: number;

  /** The people whose records the answer disclosed, by pseudonymous subject id. */
  @IsArray()
  @IsString({ each: true })
  subjectIds!: string[];

  /** How many stored events the answer held (a verification: how many it checked). */
  @IsInt()
  @Min(0)
  events!: number;
}

/** The stream of one auditor's accesses: `audit-<auditorId>`. */
export const auditStreamId = (auditorId: string): string => `audit-${auditorId}`;
