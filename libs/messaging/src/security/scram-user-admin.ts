// Creates, changes and deletes SCRAM users through Kafka's AlterUserScramCredentials API (KIP-554),
// logged in as the backbone's super user. kafkajs can manage ACLs but not SCRAM users, and a JVM
// tool per change would make the backbone depend on Java; the API is one request after a login.
import { WireWriter } from './kafka-wire';
import { SCRAM_HASHES, scramCredential } from './scram';
import { KafkaRequestError, openScramConnection, ScramLoginOptions } from './scram-connection';

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
