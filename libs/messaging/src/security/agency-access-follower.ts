import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Directory } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { AgencyAccessReport, provisionAgencyAccess } from './provision-agency-access';

/**
 * With KAFKA_AUTH=sasl or tls, keeps the agencies' Kafka ACLs (and SCRAM users, under sasl) in
 * step with the directory: provisions them before the service serves, and again after every
 * directory change, so a new agency can connect (and a removed one no longer can) without a
 * restart. With issued credentials it also looks every KAFKA_ACCESS_CHECK_MS at which agencies
 * hold one, so that a revoked credential takes its agency's ACLs within that time.
 */
@Injectable()
export class AgencyAccessFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'kafka-access' });
  /** Directory changes are followed one at a time, in order. */
  private changes: Promise<void> = Promise.resolve();
  private stopped = false;
  private nextCheck: NodeJS.Timeout | undefined;
  /** The agencies last reported as holding no issued credential, so a change is logged once. */
  private withoutCredential = '';

  constructor(
    private readonly kafka: Kafka,
    private readonly directory: Directory,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.kafkaAuth.mode === 'none') return;
    this.directory.onChange(() => {
      this.changes = this.changes.then(() => this.provisionUntilDone());
    });
    await this.provision();
    const auth = this.config.kafkaAuth;
    if (auth.mode === 'sasl' && auth.agencyCredentials === 'issued') this.scheduleCheck();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.nextCheck);
    await this.changes;
  }

  /** Resolves once every directory change seen so far has been provisioned (or given up on). */
  settled(): Promise<void> {
    return this.changes;
  }

  private async provision(): Promise<void> {
    const agencies = this.directory.agencies().map((agency) => agency.id);
    const report = await provisionAgencyAccess(this.kafka, this.config, agencies);
    this.log(report);
  }

  private scheduleCheck(): void {
    if (this.stopped) return;
    this.nextCheck = setTimeout(() => {
      this.changes = this.changes
        .then(() => this.provision())
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error },
            'could not check the issued Kafka credentials; will again',
          ),
        )
        .then(() => this.scheduleCheck());
    }, this.config.kafkaAuth.accessCheckMs);
    this.nextCheck.unref();
  }

  private log(report: AgencyAccessReport): void {
    const without = report.withoutCredential.join(',');
    if (without !== this.withoutCredential) {
      this.withoutCredential = without;
      if (without) {
        this.logger.info(
          { agencies: report.withoutCredential },
          'agencies without an issued Kafka credential have no Kafka access (npm run kafka:agency-credential -- issue <agencyId>)',
        );
      }
    }
    if (report.refused.length) {
      this.logger.error(
        { agencies: report.refused },
        'agency id equals the backbone Kafka user (KAFKA_SASL_USERNAME, or the CN of KAFKA_TLS_CERT_FILE); no Kafka access given',
      );
    }
    const summary = {
      agencies: report.agencies,
      aclsCreated: report.aclsCreated,
      aclsRemoved: report.aclsRemoved,
      removedAgencies: report.removedAgencies,
    };
    const message = 'agency Kafka users and ACLs provisioned';
    if (report.aclsCreated + report.aclsRemoved > 0) this.logger.info(summary, message);
    else this.logger.debug(summary, message);
  }

  /** Retries transient Kafka faults until the change is provisioned or the service stops. */
  private async provisionUntilDone(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.provision();
        return;
      } catch (error) {
        this.logger.warn(
          { err: error, attempt },
          'could not provision Kafka access for the directory change yet; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 10_000)));
      }
    }
  }
}
