import { alignColumns } from '../../bench/lib/table.js';

const HEADER = [
  'scenario',
  'accepted',
  'succeeded',
  'failed',
  'stuck',
  'undelivered',
  'duplicates',
  'users w/o emails',
  'client errors',
  'recovery s (submit / run)',
  'requeued',
  'result',
];

/** @param {import('./scenario-run.js').ScenarioResult} result */
function row({ name, outcome: o, reconciled, misses }) {
  return [
    name,
    `${o.accepted}/${o.sent}`,
    String(o.succeeded),
    String(o.failed),
    String(o.stuck),
    `${o.undelivered}/${o.webhooks}`,
    String(o.duplicates),
    `${o.usersWithoutEmails}/${o.users}`,
    describeCounts(o.errors) || 'none',
    `${seconds(o.submitRecoverySeconds)} / ${seconds(o.runRecoverySeconds)}`,
    String(reconciled.requeued),
    misses.length === 0 ? 'ok' : 'MISSED',
  ];
}

/** @param {import('./scenario-run.js').ScenarioResult[]} results */
export function terminalTable(results) {
  return alignColumns([HEADER, ...results.map(row)]).join('\n');
}

/** @param {import('./scenario-run.js').ScenarioResult[]} results */
export function markdownTable(results) {
  const lines = [HEADER, HEADER.map(() => '---'), ...results.map(row)].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

/**
 * What the table has no room for: each scenario's misses first, then what explains its figures.
 * @param {import('./scenario-run.js').ScenarioResult[]} results
 */
export function notes(results) {
  return results
    .flatMap((result) => {
      const o = result.outcome;
      const facts = [
        `fault ${((result.window.endedAt - result.window.startedAt) / 1_000).toFixed(1)} s`,
        `settled ${result.settleSeconds.toFixed(0)} s after the load`,
        `registrations ${o.registered}/${o.signups}`,
        o.failed > 0 && `failures: ${describeCounts(o.failureCodes)}`,
        Object.keys(o.errorCodes).length > 0 && `5xx codes: ${describeCounts(o.errorCodes)}`,
        o.unacknowledged > 0 && `${o.unacknowledged} tasks stored without a 202 reaching the client`,
        result.reconciled.abandoned > 0 && `${result.reconciled.abandoned} abandoned by the reconciler`,
        result.persistence && `readiness: Redis persistence ${result.persistence}`,
        result.errorLines > 0 && `${result.errorLines} error log lines`,
      ].filter(Boolean);
      return [`${result.name}: ${facts.join('; ')}`, ...result.misses.map((miss) => `  MISSED: ${miss}`)];
    })
    .join('\n');
}

/** @param {Record<string, number>} counts `503×12, 500×3` */
function describeCounts(counts) {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `${key}×${count}`)
    .join(', ');
}

/** @param {number | undefined} value */
function seconds(value) {
  return value === undefined ? '-' : value.toFixed(1);
}
