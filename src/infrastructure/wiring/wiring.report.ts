import type { Type } from '@nestjs/common';
import type { MessageCatalogue } from './messages.js';
import { findWiringSlips } from './wiring.check.js';
import type { ModuleWiring, WiringExplorer } from './wiring.explorer.js';

/** What `npm run wiring` prints: plain JSON, one entry per module of the DI container. */
export interface WiringReport {
  modules: ModuleWiring[];
  /** Names declared with `integrationEvent()`. */
  integrationEvents: string[];
  /** What the startup check would refuse, one sentence each; empty when the wiring is sound. */
  slips: string[];
}

export function buildWiringReport(
  explorer: WiringExplorer,
  catalogue: MessageCatalogue,
  isLibrary?: (module: Type) => boolean,
): WiringReport {
  return {
    modules: explorer.describe(isLibrary),
    integrationEvents: catalogue.integrationEvents(),
    slips: findWiringSlips(explorer, catalogue),
  };
}
