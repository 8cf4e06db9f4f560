// `npm run kafka:agency-password -- <agencyId>…`: prints the Kafka (SCRAM) password of each
// agency of the directory, derived from KAFKA_AGENCY_PASSWORD_KEY, for the operator to hand over.
import { loadConfig } from '@backbone/config';
import { loadDirectory } from '@backbone/directory';
import { agencyKafkaPassword } from './agency-password';

function main(ids: string[]): number {
  const config = loadConfig();
  if (config.kafkaAuth.mode === 'tls') {
    process.stderr.write(
      "KAFKA_AUTH=tls: agencies log in with a client certificate whose CN is the agency id, issued by the brokers' CA; there are no Kafka passwords\n",
    );
    return 1;
  }
  if (config.kafkaAuth.agencyCredentials === 'issued') {
    process.stderr.write(
      'KAFKA_AGENCY_CREDENTIALS=issued: no password is derived; issue one with npm run kafka:agency-credential -- issue <agencyId>\n',
    );
    return 1;
  }
  const directory = loadDirectory(config.directoryFile);
  if (!ids.length) {
    process.stderr.write('usage: npm run kafka:agency-password -- <agencyId>…\n');
    return 2;
  }
  const unknown = ids.filter((id) => !directory.agency(id));
  if (unknown.length) {
    process.stderr.write(`not agencies of the directory: ${unknown.join(', ')}\n`);
    return 1;
  }
  for (const id of ids) {
    const password = agencyKafkaPassword(config.kafkaAuth.agencyPasswordKey, id);
    process.stdout.write(ids.length === 1 ? `${password}\n` : `${id} ${password}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
