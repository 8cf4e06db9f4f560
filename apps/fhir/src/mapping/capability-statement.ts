// What /fhir serves, stated exactly: reading, and making and moving referrals through Task and
// transaction Bundles, in JSON, for agencies' own referrals.
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';

/** Changes whenever what /fhir supports changes. */
const STATEMENT_DATE = '2026-12-05';

const READ_ONLY = (
  type: CapabilityStatementRestResource['type'],
  documentation: string,
): CapabilityStatementRestResource => ({
  type,
  documentation,
  interaction: [{ code: 'read' }],
  versioning: 'no-version',
  readHistory: false,
  updateCreate: false,
  conditionalCreate: false,
  conditionalRead: 'not-supported',
  conditionalUpdate: false,
  conditionalDelete: 'not-supported',
});

const TASK_SEARCH_PARAMS: CapabilityStatementRestResourceSearchParam[] = [
  {
    name: 'owner',
    definition: 'http://hl7.org/fhir/SearchParameter/Task-owner',
    type: 'reference',
    documentation: 'Organization/<agency id> or <agency id>: referrals to that agency',
  },
  {
    name: 'requester',
    definition: 'http://hl7.org/fhir/SearchParameter/Task-requester',
    type: 'reference',
    documentation: 'Organization/<agency id> or <agency id>: referrals from that agency',
  },
  {
    name: 'status',
    definition: 'http://hl7.org/fhir/SearchParameter/Task-status',
    type: 'token',
    documentation: 'one Task.status or several separated by commas (any of them)',
  },
  {
    name: '_lastUpdated',
    definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated',
    type: 'date',
    documentation:
      'with a prefix gt, ge, lt or le, each at most once; compares the time of the ' +
      "referral's last status change",
  },
];

export function capabilityStatement(baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: 'Referral Backbone',
    description:
      'FHIR R4 view of the referrals an agency is a party to: Task (the workflow), ' +
      'ServiceRequest, Patient, Consent (the lawful basis) and Organization (the directory). ' +
      'A referral is made by a transaction Bundle (Task, ServiceRequest, Patient, Consent) or ' +
      'a Task with those contained, and moved by PUT or JSON Patch of its Task; each write is ' +
      'one referral command of the backbone, decided by the same rules.',
    kind: 'instance',
    software: { name: 'Referral Backbone' },
    implementation: { description: 'Referral Backbone FHIR R4 endpoint', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          "Every interaction but this statement needs an agency's API key " +
          '(Authorization: Bearer <key>). An agency sees only referrals it made or received; ' +
          'anything else is 404, never 403.',
        security: {
          cors: false,
          description: "Authorization: Bearer <the agency's API key> (CONTRACT §1)",
        },
        interaction: [
          {
            code: 'transaction',
            documentation:
              'one referral: POST of a Task, ServiceRequest, Patient and Consent; If-None-Exist ' +
              'identifier=<system>|<value> on the Task entry',
          },
        ],
        resource: [
          {
            type: 'Task',
            documentation:
              'A referral: its id is the referral id, its versions the events of its stream',
            interaction: [
              { code: 'read' },
              { code: 'vread' },
              { code: 'history-instance' },
              { code: 'search-type' },
              {
                code: 'create',
                documentation:
                  'a referral: the ServiceRequest, Patient and Consent contained in the Task',
              },
              {
                code: 'update',
                documentation:
                  'moves the referral: status, businessStatus, statusReason, output, a note ' +
                  'added, owner for a redirect; If-Match W/"<versionId>" is honoured (412)',
              },
              {
                code: 'patch',
                documentation:
                  'JSON Patch (application/json-patch+json) on the same elements as update',
              },
            ],
            versioning: 'versioned-update',
            readHistory: true,
            updateCreate: false,
            conditionalCreate: true,
            conditionalRead: 'not-supported',
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: TASK_SEARCH_PARAMS,
          },
          READ_ONLY('ServiceRequest', "The referral's request: category, reason, subject"),
          READ_ONLY(
            'Patient',
            'The person as the referral gave them (id = referral id); 410 once erased',
          ),
          READ_ONLY('Consent', 'The lawful basis the referrer shares the data under'),
          READ_ONLY('Organization', 'An agency of the directory (id = agency id)'),
        ],
      },
    ],
  };
}
