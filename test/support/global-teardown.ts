import 'tsconfig-paths/register'; // jest's moduleNameMapper does not reach global teardown
import { dropDatabase } from '@backbone/database';
import { stackState } from './stack-state';

export default async function globalTeardown(): Promise<void> {
  const { stopKafka, templateUrl } = stackState;
  stackState.stopKafka = undefined;
  stackState.templateUrl = undefined;
  await stopKafka?.();
  if (templateUrl) await dropDatabase(templateUrl);
}
