// `npm run kafka:agency-credential -- issue|revoke|list [<agencyId>]`: the operator's tool for
// issued agency Kafka credentials (KAFKA_AGENCY_CREDENTIALS=issued). `issue` prints the new
// password once, on stdout; nothing else keeps it.
import { loadConfig } from '@backbone/config';
import { loadDirectory } from '@backbone/directory';
import { createKafka } from '../kafka-client';
import {
  agenciesWithCredential,
  issueAgencyCredential,
  IssuedCredentialsError,
  revokeAgencyCredential,
} from './agency-credentials';

const USAGE =
  'usage: npm run kafka:agency-credential -- issue <agencyId> | revoke <agencyId> | list\n';

async function main([action, agencyId]: string[]): Promise<number> {
  const config = loadConfig();
  const agencies = loadDirectory(config.directoryFile)
    .agencies()
    .map((agency) => agency.id);
  const kafka = createKafka(
    config.kafkaBrokers,
    'referral-backbone-credentials',
    config.kafkaAuth,
    config.kafkaTls,
  );
  try {
    if (action === 'list' && !agencyId) {
      for (const [id, holds] of await agenciesWithCredential(config, agencies)) {
        process.stdout.write(`${id} ${holds ? 'issued' : 'none'}\n`);
      }
      return 0;
    }
    if (action === 'issue' && agencyId) {
      const { password } = await issueAgencyCredential(kafka, config, agencies, agencyId);
      process.stdout.write(`${password}\n`);
      process.stderr.write(
        `issued a Kafka credential to ${agencyId}: hand this password over now; it is shown only once, and any earlier one no longer logs in\n`,
      );
      return 0;
    }
    if (action === 'revoke' && agencyId) {
      await revokeAgencyCredential(kafka, config, agencies, agencyId);
      process.stderr.write(
        `revoked ${agencyId}'s Kafka credential and ACLs: it can no longer log in, produce or consume\n`,
      );
      return 0;
    }
    process.stderr.write(USAGE);
    return 2;
  } catch (error) {
    if (!(error instanceof IssuedCredentialsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
