import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { REFERRAL_ACCEPTED_V1, ReferralAcceptedV1, auditStreamId } from '@backbone/contracts';
import { PersonalDataOpener, isSealed } from '@backbone/data-protection';
import { caseStreamId, referralStreamId } from '@backbone/domain';
import { ChainVerifier } from '@backbone/event-store';
import {
  EVENTS_OF_STREAM,
  HeadRow,
  STREAM_HEADS,
  StreamEventRow,
  chainLinkOf,
} from '../verification/store-verification.sql';
import type { AuditAccess } from '../access-log/audit-access';
import { subjectsOf } from '../histories/audit-histories';
import {
  BUNDLE_FORMAT,
  BundleContent,
  BundledEvent,
  BundledStream,
  EvidenceBundle,
} from './evidence-bundle';
import { EvidenceSigner } from './evidence-signer';

const toBundled = (row: StreamEventRow): BundledEvent => ({
  ...chainLinkOf(row),
  globalPosition: row.global_position,
});

/** The personal fields of an event that were sealed, as the opened event has them. */
function openedFields(stored: BundledEvent, opened: BundledEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const part of ['data', 'metadata'] as const) {
    for (const [field, value] of Object.entries(stored[part])) {
      if (isSealed(value)) fields[`${part}.${field}`] = opened[part][field];
    }
  }
  return fields;
}

/**
 * Builds a referral's evidence bundle: its stream and the stream of the case it opened, read in
 * one snapshot exactly as stored (never upcast), each with its chain verification, signed.
 */
@Injectable()
export class EvidenceExport {
  constructor(
    private readonly pool: Pool,
    private readonly opener: PersonalDataOpener,
    private readonly signer: EvidenceSigner,
  ) {}

  /** undefined when no such referral was ever made. */
  async referral(referralId: string, access: AuditAccess): Promise<EvidenceBundle | undefined> {
    const streams = await this.readInOneSnapshot(referralId);
    if (!streams) return undefined;
    const events = streams.flatMap((stream) => stream.events);
    await access.disclosing(events.length, subjectsOf(events));
    const opened = await this.opener.open(events);
    const content: BundleContent = {
      format: BUNDLE_FORMAT,
      exportedAt: new Date().toISOString(),
      exportedBy: {
        auditor: access.auditor,
        purpose: access.purpose,
        accessEventId: access.eventId,
        accessStream: auditStreamId(access.auditor),
      },
      referralId,
      streams,
      opened: Object.fromEntries(
        events
          .map((event, i) => [event.eventId, openedFields(event, opened.events[i])] as const)
          .filter(([, fields]) => Object.keys(fields).length > 0),
      ),
      unreadable: opened.unreadable,
    };
    return { content, signature: this.signer.sign(content) };
  }

  private async readInOneSnapshot(referralId: string): Promise<BundledStream[] | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const referral = await readStream(client, referralStreamId(referralId));
      const streams = [referral];
      const accepted = referral.events.find((event) => event.type === REFERRAL_ACCEPTED_V1);
      if (accepted) {
        const { caseId } = accepted.data as unknown as ReferralAcceptedV1;
        streams.push(await readStream(client, caseStreamId(caseId)));
      }
      await client.query('COMMIT');
      return referral.events.length || referral.head ? streams : undefined;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function readStream(client: PoolClient, streamId: string): Promise<BundledStream> {
  const [{ rows }, heads] = [
    await client.query<StreamEventRow>({ ...EVENTS_OF_STREAM, values: [streamId] }),
    await client.query<HeadRow>({ ...STREAM_HEADS, values: [[streamId]] }),
  ];
  const events = rows.map(toBundled);
  const row = heads.rows[0];
  const head = row ? { version: row.version, lastHash: row.last_hash } : null;
  const verifier = new ChainVerifier();
  for (const event of events) verifier.add(event);
  return { streamId, head, events, verification: verifier.finish(head ?? undefined) };
}
