import { DynamicModule, Global, Module } from '@nestjs/common';
import { BackboneConfig, loadConfig } from './backbone-config';
import { CLOCK, Clock, SYSTEM_CLOCK } from './clock';

export const BACKBONE_CONFIG = Symbol('BACKBONE_CONFIG');

/**
 * Provides what a process takes from outside once for every module: its configuration and its
 * clock (the system clock unless a tool passes another).
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(
    config: BackboneConfig = loadConfig(),
    clock: Clock = SYSTEM_CLOCK,
  ): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: BACKBONE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [BACKBONE_CONFIG, CLOCK],
    };
  }
}
