import { Global, Module } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Directory } from './directory';
import { DirectoryReloader } from './directory-reloader';
import { loadDirectory } from './load-directory';

@Global()
@Module({
  providers: [
    DirectoryReloader,
    {
      provide: Directory,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Directory => loadDirectory(config.directoryFile),
    },
  ],
  exports: [Directory],
})
export class DirectoryModule {}
