import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

// See resolver.cjs: CommonJS dependents receive these exact namespaces.
(globalThis as Record<symbol, unknown>)[Symbol.for('esm-bridge:@nestjs/common')] = common;
(globalThis as Record<symbol, unknown>)[Symbol.for('esm-bridge:@nestjs/core')] = core;
