// Creates, changes, deletes and lists SCRAM users through Kafka's AlterUserScramCredentials and
// DescribeUserScramCredentials APIs (KIP-554), logged in as the backbone's super user. kafkajs can manage ACLs but not SCRAM users, and a JVM
// tool per change would make the backbone depend on Java; the API is one request after a login.
import { WireWriter } from './kafka-wire';
import { SCRAM_HASHES, scramCredential } from './scram';
import { KafkaRequestError, openScramConnection, ScramLoginOptions } from './scram-connection';

const DESCRIBE_USER_SCRAM_CREDENTIALS = 50;
const ALTER_USER_SCRAM_CREDENTIALS = 51;
/** Deleting a credential that does not exist: already done. */
const RESOURCE_NOT_FOUND = 91;

export interface ScramUser {
  name: string;
  password: string;
}

/**
 * Sets the credentials of `upsert` (each user's password, salted afresh) and removes those of
 * `remove`, in one request. Throws on the first user the broker refused.
 */
export async function alterScramUsers(
  login: ScramLoginOptions,
  changes: { upsert: ScramUser[]; remove: string[] },
): Promise<void> {
  if (!changes.upsert.length && !changes.remove.length) return;
  const mechanismId = SCRAM_HASHES[login.mechanism].kafkaId;
  const body = new WireWriter()
    .compactArray(changes.remove, (w, name) => w.compactString(name).int8(mechanismId).noTags())
    .compactArray(changes.upsert, (w, user) => {
      const credential = scramCredential(login.mechanism, user.password);
      w.compactString(user.name)
        .int8(mechanismId)
        .int32(credential.iterations)
        .compactBytes(credential.salt)
        .compactBytes(credential.saltedPassword)
        .noTags();
    })
    .noTags()
    .toBuffer();
  const connection = await openScramConnection(login, 'referral-backbone-scram-admin');
  try {
    const response = await connection.send({
      apiKey: ALTER_USER_SCRAM_CREDENTIALS,
      apiVersion: 0,
      flexible: true,
      body,
    });
    response.int32(); // throttle time
    const results = response.compactArray((r) => {
      const result = { user: r.compactNullableString(), code: r.int16() };
      const message = r.compactNullableString();
      r.skipTags();
      return { ...result, message };
    });
    const refused = results.find(({ code }) => code !== 0 && code !== RESOURCE_NOT_FOUND);
    if (refused) {
      throw new KafkaRequestError(
        `the broker refused the SCRAM credential of ${refused.user}: ${refused.message ?? refused.code}`,
        refused.code,
      );
    }
  } finally {
    connection.close();
  }
}

/** The users that hold a SCRAM credential of `login.mechanism` on the cluster. */
export async function scramUsersWithCredential(login: ScramLoginOptions): Promise<Set<string>> {
  const mechanismId = SCRAM_HASHES[login.mechanism].kafkaId;
  // A null list of users (compact length 0) asks for every user.
  const body = new WireWriter().uvarint(0).noTags().toBuffer();
  const connection = await openScramConnection(login, 'referral-backbone-scram-admin');
  try {
    const response = await connection.send({
      apiKey: DESCRIBE_USER_SCRAM_CREDENTIALS,
      apiVersion: 0,
      flexible: true,
      body,
    });
    response.int32(); // throttle time
    const code = response.int16();
    const message = response.compactNullableString();
    if (code !== 0) {
      throw new KafkaRequestError(
        `the broker refused to list SCRAM users: ${message ?? code}`,
        code,
      );
    }
    const users = response.compactArray((r) => {
      const user = r.compactNullableString() ?? '';
      const userCode = r.int16();
      r.compactNullableString();
      const mechanisms = r.compactArray((c) => {
        const mechanism = c.int8();
        c.int32(); // iterations
        c.skipTags();
        return mechanism;
      });
      r.skipTags();
      return { user, holds: userCode === 0 && mechanisms.includes(mechanismId) };
    });
    return new Set(users.filter(({ holds }) => holds).map(({ user }) => user));
  } finally {
    connection.close();
  }
}
