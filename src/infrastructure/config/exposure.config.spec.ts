import { exposureOf } from './exposure.config.js';

describe('exposureOf', () => {
  it.each([
    ['production', undefined, undefined, { docs: 'admin', healthDetails: 'admin' }],
    ['development', undefined, undefined, { docs: 'public', healthDetails: 'public' }],
    ['test', undefined, undefined, { docs: 'public', healthDetails: 'public' }],
    ['production', 'public', undefined, { docs: 'public', healthDetails: 'admin' }],
    ['development', 'admin', 'admin', { docs: 'admin', healthDetails: 'admin' }],
  ] as const)(
    'NODE_ENV=%s DOCS_ACCESS=%s HEALTH_DETAILS_ACCESS=%s',
    (NODE_ENV, DOCS_ACCESS, HEALTH_DETAILS_ACCESS, expected) => {
      expect(exposureOf({ NODE_ENV, DOCS_ACCESS, HEALTH_DETAILS_ACCESS })).toEqual(expected);
    },
  );
});
