import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Directory, DirectoryFile, PrincipalKind, readDirectoryFile } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { WEB_SESSION_REALM, WebSessionRealm } from './web-session-realm';
import { PrincipalKey, WebSessions } from './web-sessions';

/** The entries of one kind of principal in a directory file. */
function entriesOf(
  file: DirectoryFile,
  kind: PrincipalKind,
): { id: string; apiKeySha256: string[] }[] {
  switch (kind) {
    case 'agency':
      return file.agencies;
    case 'auditor':
      return file.auditors;
    case 'operator':
      return file.operators;
    case 'director':
      return file.directors ?? [];
  }
}

/**
 * A revoked key ends the sessions it opened: whenever the directory file changes (and at start),
 * the realm's sessions whose key is no longer that principal's are deleted. The demo directory
 * never changes, so there is nothing to follow without DIRECTORY_FILE.
 */
@Injectable()
export class SessionRevocation implements OnApplicationBootstrap {
  private readonly logger = rootLogger.child({ component: 'web-sessions' });
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: Directory,
    private readonly sessions: WebSessions,
    @Inject(WEB_SESSION_REALM) private readonly realm: WebSessionRealm,
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
      // The reloader accepted this file: it is read again here for the key hashes, which the
      // directory does not hand out.
      const keys: PrincipalKey[] = entriesOf(
        readDirectoryFile(file),
        this.realm.principalKind,
      ).flatMap((entry) =>
        entry.apiKeySha256.map((keySha256) => ({ principalId: entry.id, keySha256 })),
      );
      const ended = await this.sessions.endAllBut(keys);
      if (ended)
        this.logger.info({ ended, realm: this.realm.name }, 'ended sessions of revoked keys');
    } catch (error) {
      this.logger.warn(
        { err: error, realm: this.realm.name },
        'could not check sessions against the directory',
      );
    }
  }
}
