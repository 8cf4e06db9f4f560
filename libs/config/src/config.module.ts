import { DynamicModule, Global, Module } from '@nestjs/common';
import { BackboneConfig, loadConfig } from './backbone-config';

export const BACKBONE_CONFIG = Symbol('BACKBONE_CONFIG');

/** Provides the configuration once for every module of a process. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: BackboneConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: BACKBONE_CONFIG, useValue: config }],
      exports: [BACKBONE_CONFIG],
    };
  }
}
