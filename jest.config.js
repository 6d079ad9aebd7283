/**
 * jest under native ESM (run through `node --experimental-vm-modules`, see package.json):
 * ts-jest emits ES modules, and `.js` suffixes of relative imports are mapped back to the
 * `.ts` sources. Type checking is left to `npm run build` and `npm run lint`.
 */
/**
 * ES-module-only packages that a CommonJS dependency `require()`s. Plain Node >= 20.19 allows
 * that; jest's module runtime only does on Node >= 24.9, so on Node 20 jest gets a CommonJS
 * build of these (compiled on the fly by ts-jest). They are stateless leaf utilities, so a
 * second copy is harmless. `@nestjs/common` and `@nestjs/core` are not: see esm-bridge/.
 */
const esmRequiredByCjs = ['content-disposition'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    [`/node_modules/(${esmRequiredByCjs.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { useESM: true, tsconfig: { allowJs: true, module: 'nodenext' }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmRequiredByCjs.join('|')})/)`],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  resolver: '<rootDir>/test/setup/esm-bridge/resolver.cjs',
  setupFiles: ['<rootDir>/test/setup/esm-bridge/register.ts'],
  globalSetup: '<rootDir>/test/setup/global/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
