import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Directory, readDirectoryFile } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { OperatorSessions } from './operator-sessions';

/**
 * A revoked key ends the console sessions it opened: whenever the directory file changes (and
 * at start), sessions whose key is no longer that operator's are deleted. The demo directory
 * never changes, so there is nothing to follow without DIRECTORY_FILE.
 */
@Injectable()
export class SessionRevocation implements OnApplicationBootstrap {
  private readonly logger = rootLogger.child({ component: 'ops-console-sessions' });
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: Directory,
    private readonly sessions: OperatorSessions,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.directoryFile;
    if (file === undefined) return;
    this.directory.onChange(() => {
      this.following = this.following.then(() => this.endRevoked(file));
    });
    await this.endRevoked(file);
  }

  private async endRevoked(file: string): Promise<void> {
    try {
      // The reloader accepted this file: it is read again here for its operators' key hashes,
      // which the directory does not hand out.
      const keys = readDirectoryFile(file).operators.flatMap((operator) =>
        operator.apiKeySha256.map((keySha256) => ({ operatorId: operator.id, keySha256 })),
      );
      const ended = await this.sessions.endAllBut(keys);
      if (ended) this.logger.info({ ended }, 'ended console sessions of revoked operator keys');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not check console sessions against the directory');
    }
  }
}
