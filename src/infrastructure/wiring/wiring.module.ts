import { type DynamicModule, Module } from '@nestjs/common';
import { MessageCatalogue, messageCatalogue } from './messages.js';
import { WiringCheck } from './wiring.check.js';
import { WiringExplorer } from './wiring.explorer.js';
import { WIRING_OPTIONS, type WiringOptions } from './wiring.options.js';

/**
 * Checks the wiring when the application starts (see WiringCheck) and offers the explorer
 * behind `npm run wiring`. The catalogue is a provider so that a test can hand it its own.
 */
@Module({})
export class WiringModule {
  static forRoot(options: WiringOptions = {}): DynamicModule {
    return {
      module: WiringModule,
      providers: [
        { provide: WIRING_OPTIONS, useValue: options },
        { provide: MessageCatalogue, useValue: messageCatalogue },
        WiringExplorer,
        WiringCheck,
      ],
    };
  }
}
