import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { MAKE_REFERRAL_V1 } from '@backbone/contracts';
import { derivedUuid, keyedUuid } from '@backbone/domain';
import type { Task } from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';
import { SYSTEMS } from '../mapping/fhir-systems';
import type { ReferralSnapshot } from '../mapping/referral-snapshot';
import { toTask } from '../mapping/task';
import { ReferralRecords } from '../reading/referral-records';
import { type TokenIdentifier, identifierOfIfNoneExist } from './conditional-headers';
import { FhirCommands } from './fhir-commands';
import { fhirPathOfMakeField, makeReferralOf } from './make-referral-of';
import type { ReferralParts } from './referral-parts';
import { fhirPathOfChangeField, taskChangeOf } from './task-change';

export interface HttpRequestInfo {
  headers: IncomingHttpHeaders;
  method: string;
  route: string;
}

/** A write's result: the referral as it now stands, and whether this request made it so. */
export interface Written {
  snapshot: ReferralSnapshot;
  /** false when a create found the referral already made, or an update changed nothing. */
  changed: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Making and moving referrals from FHIR: resources in, one command out through FhirCommands,
 * the referral read back from the event store as the caller now sees it.
 */
@Injectable()
export class ReferralWrites {
  private readonly identifierKey: string;

  constructor(
    private readonly records: ReferralRecords,
    private readonly commands: FhirCommands,
    @Inject(BACKBONE_CONFIG) config: BackboneConfig,
  ) {
    // Its own key from the backbone's secret, so referral ids of identifiers are not guessable
    // by another agency (which could otherwise take the id first).
    this.identifierKey = createHmac('sha256', config.subjectIdKey)
      .update('referral-ids-of-fhir-task-identifiers')
      .digest('hex');
  }

  /**
   * The referral id a create takes: the Task's own referral-id identifier where it has one,
   * else one derived from the caller and the identifier it creates by (If-None-Exist or the
   * Task's first identifier), so a repeated create finds the first; else a new one.
   */
  private referralIdOf(task: Task, caller: string, byIdentifier?: TokenIdentifier): string {
    const identifiers = byIdentifier ? [byIdentifier] : (task.identifier ?? []);
    const own = identifiers.find((identifier) => identifier.system === SYSTEMS.referralId);
    if (own) {
      if (!UUID.test(own.value ?? '')) {
        throw new FhirError(422, 'a referral id is a UUID', 'Task.identifier');
      }
      return (own.value as string).toLowerCase();
    }
    const key = identifiers.find((identifier) => identifier.system && identifier.value);
    if (!key) return randomUUID();
    return keyedUuid(
      this.identifierKey,
      'fhir-task-identifier',
      `${caller}|${key.system}|${key.value}`,
    );
  }

  async create(
    parts: ReferralParts,
    caller: string,
    ifNoneExist: string | undefined,
    request: HttpRequestInfo,
  ): Promise<Written> {
    const data = makeReferralOf(parts, caller);
    const referralId = this.referralIdOf(parts.task, caller, identifierOfIfNoneExist(ifNoneExist));
    const existing = await this.records.currentFor(referralId, caller);
    if (existing) return { snapshot: existing, changed: false };
    await this.commands.send(
      {
        // Derived, so a create repeated while the first is still being decided is the same
        // command: the command log answers it with the first one's outcome.
        commandId: derivedUuid('fhir-create', `${caller}|${referralId}`),
        agencyId: caller,
        type: MAKE_REFERRAL_V1,
        referralId,
        data: { ...data },
        fhirPathOf: (path) =>
          path === 'data.referralId' || path === 'subject'
            ? 'Task.identifier'
            : fhirPathOfMakeField(path),
      },
      request,
    );
    return { snapshot: await this.readBack(referralId, caller), changed: true };
  }

  /**
   * Moves a referral to the Task the client wants (`desired`, given the Task as it stands),
   * made against `expectedVersion` when the client named one (If-Match).
   */
  async change(
    referralId: string,
    caller: string,
    expectedVersion: number | undefined,
    desired: (current: Task) => Task,
    request: HttpRequestInfo,
  ): Promise<Written> {
    const snapshot = await this.records.currentFor(referralId, caller);
    if (!snapshot) throw new FhirError(404, `no Task ${referralId} is known to you`);
    if (expectedVersion !== undefined && expectedVersion !== snapshot.version) {
      throw new FhirError(
        412,
        `Task ${referralId} is at version ${snapshot.version}, not ${expectedVersion}: read it again`,
        'If-Match',
      );
    }
    const change = taskChangeOf(snapshot, desired(toTask(snapshot)), () => randomUUID());
    if (change.kind === 'unchanged') return { snapshot, changed: false };
    await this.commands.send(
      {
        commandId: randomUUID(),
        agencyId: caller,
        type: change.type,
        referralId: snapshot.referralId,
        data: change.data,
        fhirPathOf: fhirPathOfChangeField,
      },
      request,
    );
    return { snapshot: await this.readBack(snapshot.referralId, caller), changed: true };
  }

  private async readBack(referralId: string, caller: string): Promise<ReferralSnapshot> {
    const snapshot = await this.records.currentFor(referralId, caller);
    // The command was accepted, so its events are committed: not finding them is a fault.
    if (!snapshot) throw new Error(`referral ${referralId} not found after its command`);
    return snapshot;
  }
}
