import { statSync } from 'node:fs';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';
import { Directory } from './directory';
import { readDirectoryFile } from './load-directory';

/**
 * Picks up changes to the directory file without a restart: a new agency is served, a revoked
 * key stops working. A file that fails validation is refused and the current directory stays.
 */
@Injectable()
export class DirectoryReloader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'directory' });
  private timer?: NodeJS.Timeout;
  private lastModified?: number;

  constructor(
    private readonly directory: Directory,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    const file = this.config.directoryFile;
    if (!file) return; // the bundled demo directory never changes
    this.lastModified = this.modifiedAt(file);
    this.timer = setInterval(() => this.reloadIfChanged(file), this.config.directoryReloadMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private modifiedAt(file: string): number | undefined {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
  }

  private reloadIfChanged(file: string): void {
    const modified = this.modifiedAt(file);
    if (modified === undefined || modified === this.lastModified) return;
    this.lastModified = modified;
    try {
      this.directory.replace(readDirectoryFile(file));
      this.logger.info({ agencies: this.directory.agencies().length }, 'directory reloaded');
    } catch (error) {
      this.logger.error(
        { err: error },
        'directory file changed but is invalid; keeping the current directory',
      );
    }
  }
}
