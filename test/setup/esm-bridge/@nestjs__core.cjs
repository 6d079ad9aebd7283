const namespace = globalThis[Symbol.for('esm-bridge:@nestjs/core')];
if (!namespace) throw new Error('@nestjs/core was required before test/setup/esm-bridge/register.ts ran');
module.exports = namespace;
