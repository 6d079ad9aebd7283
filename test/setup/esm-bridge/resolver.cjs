/**
 * Jest cannot `require()` an ES module on Node < 24.9, and `@nestjs/throttler` is CommonJS
 * that requires the ESM-only `@nestjs/common` and `@nestjs/core` (plain Node >= 20.19 can).
 * For `require()` calls only, this resolver swaps those two packages for bridge modules that
 * hand back the very ES module namespaces the tests import (registered by register.ts), so
 * there is still one copy of each class and DI token.
 */
const { join } = require('node:path');

const BRIDGED = new Set(['@nestjs/common', '@nestjs/core']);

module.exports = (request, options) => {
  const isRequire = options.conditions?.includes('require') && !options.conditions.includes('import');
  if (isRequire && BRIDGED.has(request)) return join(__dirname, `${request.replace('/', '__')}.cjs`);
  return options.defaultResolver(request, options);
};
