/**
 * The baseline: a bare Fastify server with only the scenario's route, no Nest, no plugins, no
 * logging. It is what the same work costs without the framework, measured on the same machine
 * in the same run. Usage: node bench/baseline-server.js SCENARIO (PORT, HOST, DATABASE_URL in env).
 */
import Fastify from 'fastify';
import { closeOnSignals } from './lib/exit.js';
import { findScenario } from './scenarios/index.js';

const scenario = findScenario(process.argv[2] ?? '');
const fastify = Fastify({ logger: false });
await scenario.baseline(fastify, { databaseUrl: process.env.DATABASE_URL ?? '' });
await fastify.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });

const close = closeOnSignals(() => fastify.close());
// The orchestrator holds our stdin open; if it dies, even by SIGKILL, stdin ends and so do we.
process.stdin.on('end', close);
process.stdin.resume();
