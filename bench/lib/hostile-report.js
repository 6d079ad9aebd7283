import { alignColumns } from './table.js';

/** Reporting of the hostile-body scenario (scenarios/hostile-body.js): its targets, its table. */

/** Targets of issue 13: server CPU per hostile request, and the liveness probe's p99 meanwhile. */
export const MAX_CPU_MS_PER_REQUEST = 50;
export const MAX_LIVE_P99_MS = 20;
/** Hostile requests in flight at once while the probe is measured. */
export const IN_FLIGHT = 10;

/**
 * @typedef {object} HostileVariantResult
 * @property {string} name
 * @property {string} stops What answers the hostile body in this variant.
 * @property {Record<string, string>} env The variant's own settings.
 * @property {Record<string, number>} statusCodes Of the sequential hostile requests.
 * @property {number} socketErrors Of the sequential hostile requests (a connection closed after an error answer).
 * @property {number | undefined} cpuMsPerRequest Server CPU per answered hostile request, sent one at a time.
 * @property {{ p50: number, p99: number, max: number, requests: number }} liveIdle GET /health/live alone.
 * @property {{ p50: number, p99: number, max: number, requests: number }} liveUnderAttack The same, counting only the
 *   probes sent while a wave of IN_FLIGHT hostile requests was in flight.
 * @property {{ waves: number, statusCodes: Record<string, number> }} attack The waves sent meanwhile and their answers.
 * @property {{ cpu: boolean, p99: boolean } | undefined} met Undefined for a variant without a target.
 */

/** @param {Record<string, number>} codes */
const describeCodes = (codes) =>
  Object.entries(codes)
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ') || 'none';

/** @param {number | undefined} value */
const ms = (value) => (value === undefined ? 'n/a' : value.toFixed(1));

/** @param {HostileVariantResult[]} variants */
function rows(variants) {
  return variants.map((variant) => [
    variant.name,
    `${describeCodes(variant.statusCodes)}${variant.socketErrors > 0 ? `, ${variant.socketErrors} closed` : ''}`,
    `${ms(variant.cpuMsPerRequest)}${variant.met?.cpu === false ? ' (missed)' : ''}`,
    `${variant.liveIdle.p50} / ${variant.liveIdle.p99}`,
    `${variant.liveUnderAttack.p50} / ${variant.liveUnderAttack.p99}${variant.met?.p99 === false ? ' (missed)' : ''} / ${variant.liveUnderAttack.max}`,
    `${variant.attack.waves} (${describeCodes(variant.attack.statusCodes)})`,
  ]);
}

const HEADER = [
  'variant',
  'status',
  'CPU ms/request',
  'live p50/p99 ms alone',
  `live p50/p99/max ms, ${IN_FLIGHT} in flight`,
  `waves of ${IN_FLIGHT} (answers)`,
];

/** @param {HostileVariantResult[]} variants */
function verdict(variants) {
  const judged = variants.flatMap(({ name, met }) => (met ? [{ name, met: met.cpu && met.p99 }] : []));
  return (
    `targets: < ${MAX_CPU_MS_PER_REQUEST} ms of server CPU per hostile request, GET /health/live p99 < ${MAX_LIVE_P99_MS} ms ` +
    `with ${IN_FLIGHT} in flight: ${judged.every(({ met }) => met) ? 'met' : 'MISSED'} ` +
    `(${judged.map(({ name, met }) => `${name}: ${met ? 'met' : 'missed'}`).join(', ')})`
  );
}

/**
 * @param {string} name
 * @param {string} title
 * @param {HostileVariantResult[]} variants
 * @param {string[]} warnings
 */
export function terminalReport(name, title, variants, warnings) {
  return [
    '',
    `${name}: ${title}`,
    ...alignColumns([HEADER, ...rows(variants)]).map((line) => `  ${line}`),
    ...variants.map((variant) => `  ${variant.name}: stopped by ${variant.stops}`),
    `  ${verdict(variants)}`,
    ...warnings.map((warning) => `  warning: ${warning}`),
    '',
  ].join('\n');
}

/**
 * @param {string} name
 * @param {string} title
 * @param {HostileVariantResult[]} variants
 * @param {string[]} warnings
 */
export function markdownReport(name, title, variants, warnings) {
  return [
    `## ${name}`,
    '',
    title,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows(variants).map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...variants.map((variant) => `- ${variant.name}: stopped by ${variant.stops}`),
    '',
    `**${verdict(variants)}**`,
    '',
    ...warnings.map((warning) => `- warning: ${warning}`),
    ...(warnings.length > 0 ? [''] : []),
  ];
}
