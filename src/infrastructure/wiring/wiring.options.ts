export const WIRING_OPTIONS = Symbol('WIRING_OPTIONS');

export interface WiringOptions {
  /**
   * Decorators made with `DiscoveryService.createDecorator` whose providers the wiring report
   * lists, by section name (`{ taskTypes: TaskHandler }`): infrastructure cannot import them
   * from the feature modules, so the composition root hands them over.
   */
  decorators?: Record<string, { KEY: string }>;
}
