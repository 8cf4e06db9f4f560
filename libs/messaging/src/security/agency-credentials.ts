// Issued Kafka credentials (KAFKA_AGENCY_CREDENTIALS=issued): each agency's SCRAM password is made
// at random when the operator issues it, shown once and kept by no one but the broker (as its
// salted SCRAM credential). Issuing again rotates it; revoking deletes it and the agency's ACLs.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { BackboneConfig } from '@backbone/config';
import { kafkaTlsOptions } from '../kafka-client';
import { AgencyAccessReport, provisionAgencyAccess } from './provision-agency-access';
import { alterScramUsers, scramUsersWithCredential } from './scram-user-admin';
import type { ScramLoginOptions } from './scram-connection';

/** 32 random bytes: no dictionary or derivation attack applies. */
const PASSWORD_BYTES = 32;

export class IssuedCredentialsError extends Error {}

function backboneLogin(config: BackboneConfig): ScramLoginOptions {
  const auth = config.kafkaAuth;
  if (auth.mode !== 'sasl' || auth.agencyCredentials !== 'issued') {
    throw new IssuedCredentialsError(
      'agency Kafka credentials are issued only with KAFKA_AUTH=sasl and KAFKA_AGENCY_CREDENTIALS=issued',
    );
  }
  return {
    brokers: config.kafkaBrokers,
    mechanism: auth.mechanism,
    username: auth.username,
    password: auth.password,
    tls: kafkaTlsOptions(config.kafkaTls),
  };
}

/**
 * Gives `agencyId` a new random password (replacing any earlier one: new logins need the new
 * one at once) and its ACLs, and returns the password. The agency must be in `directoryAgencies`.
 */
export async function issueAgencyCredential(
  kafka: Kafka,
  config: BackboneConfig,
  directoryAgencies: string[],
  agencyId: string,
): Promise<{ password: string; access: AgencyAccessReport }> {
  const login = backboneLogin(config);
  if (!directoryAgencies.includes(agencyId)) {
    throw new IssuedCredentialsError(`${agencyId} is not an agency of the directory`);
  }
  if (agencyId === login.username) {
    throw new IssuedCredentialsError(`${agencyId} is the backbone's own Kafka user`);
  }
  const password = randomBytes(PASSWORD_BYTES).toString('base64url');
  await alterScramUsers(login, { upsert: [{ name: agencyId, password }], remove: [] });
  const access = await provisionAgencyAccess(kafka, config, directoryAgencies);
  return { password, access };
}

/**
 * Deletes the credential of `agencyId` and takes its ACLs, so that clients already logged in as
 * it are refused too. An agency no longer in the directory can be revoked as well.
 */
export async function revokeAgencyCredential(
  kafka: Kafka,
  config: BackboneConfig,
  directoryAgencies: string[],
  agencyId: string,
): Promise<AgencyAccessReport> {
  const login = backboneLogin(config);
  if (agencyId === login.username) {
    throw new IssuedCredentialsError(`${agencyId} is the backbone's own Kafka user`);
  }
  await alterScramUsers(login, { upsert: [], remove: [agencyId] });
  return provisionAgencyAccess(kafka, config, directoryAgencies);
}

/** Which of the directory's agencies hold an issued credential. */
export async function agenciesWithCredential(
  config: BackboneConfig,
  directoryAgencies: string[],
): Promise<Map<string, boolean>> {
  const holders = await scramUsersWithCredential(backboneLogin(config));
  return new Map(directoryAgencies.map((id) => [id, holders.has(id)]));
}
