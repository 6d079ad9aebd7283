const namespace = globalThis[Symbol.for('esm-bridge:@nestjs/common')];
if (!namespace) throw new Error('@nestjs/common was required before test/setup/esm-bridge/register.ts ran');
module.exports = namespace;
