import type { ModuleWiring } from './wiring.explorer.js';
import type { WiringReport } from './wiring.report.js';

const LABEL_WIDTH = 13;
const LINE_WIDTH = 110;

/**
 * The report for a terminal: application modules in full, library modules by name (all of
 * them in full with `all`), then the integration events and the check's verdict.
 */
export function formatWiringReport(report: WiringReport, options: { all?: boolean } = {}): string {
  const shown = report.modules.filter((module) => options.all || !module.library);
  const libraries = report.modules.filter((module) => module.library);
  const listeners = report.modules.flatMap((module) => module.listeners);
  const lines = shown.flatMap((module) => [...formatModule(module), '']);
  lines.push(
    ...section(
      'events',
      report.integrationEvents.map((name) => {
        const count = listeners.filter(({ event }) => event === name).length;
        return `${name} (${count} listener${count === 1 ? '' : 's'})`;
      }),
    ),
  );
  if (!options.all && libraries.length > 0) {
    lines.push(...wrap('libraries', countedNames(libraries)), ...section('', ['(--all lists their providers)']));
  }
  lines.push('', report.slips.length === 0 ? 'Wiring check: OK' : `Wiring check: ${report.slips.length} slip(s)`);
  return `${lines.join('\n')}\n`;
}

function formatModule(module: ModuleWiring): string[] {
  const flags = [module.global && 'global', module.library && 'library'].filter(Boolean);
  const methodWidth = Math.max(0, ...module.routes.map(({ method }) => method.length));
  const pathWidth = Math.max(0, ...module.routes.map(({ path }) => path.length));
  const handlerWidth = Math.max(0, ...module.routes.map(({ handler }) => handler.length));
  const body = [
    ...wrap(
      'providers',
      module.providers.map(({ token, class: type }) => (type ? `${token} → ${type}` : token)),
    ),
    ...section(
      'routes',
      module.routes.map(
        ({ method, path, handler, access }) =>
          `${method.padEnd(methodWidth)}  ${path.padEnd(pathWidth)}  ${handler.padEnd(handlerWidth)}  ${access ?? 'NO ACCESS POLICY'}`,
      ),
    ),
    ...section(
      'commands',
      module.commandHandlers.map(({ command, handler }) => `${command} → ${handler}`),
    ),
    ...section(
      'queries',
      module.queryHandlers.map(({ query, handler }) => `${query} → ${handler}`),
    ),
    ...section(
      'cqrs events',
      module.eventHandlers.map(({ events, handler }) => `${events.join(', ')} → ${handler}`),
    ),
    ...section(
      'listeners',
      module.listeners.map(({ event, listener }) => `${event} → ${listener}`),
    ),
    ...section(
      'processors',
      module.processors.map(({ queue, processor }) => `queue ${queue} → ${processor}`),
    ),
    ...Object.entries(module.decorated).flatMap(([name, entries]) =>
      section(
        name,
        entries.map(({ provider, options }) => `${provider}  ${shortOptions(options)}`.trimEnd()),
      ),
    ),
  ];
  const title = flags.length > 0 ? `${module.name} (${flags.join(', ')})` : module.name;
  return [title, ...(body.length > 0 ? body : ['  (imports only)'])];
}

function section(label: string, rows: string[]): string[] {
  return rows.map((row, index) => `  ${(index === 0 ? label : '').padEnd(LABEL_WIDTH)}${row}`);
}

/** A comma-separated list under one label, broken between items to fit the line. */
function wrap(label: string, items: string[]): string[] {
  const rows: string[] = [];
  for (const item of items) {
    const last = rows.at(-1);
    if (last !== undefined && last.length + item.length + 2 <= LINE_WIDTH - LABEL_WIDTH - 2) {
      rows[rows.length - 1] = `${last} ${item}`;
    } else {
      rows.push(item);
    }
    rows[rows.length - 1] += ',';
  }
  if (rows.length > 0) rows[rows.length - 1] = rows[rows.length - 1].slice(0, -1);
  return section(label, rows);
}

/** Options that read as identifiers or numbers; prose and nested objects are in `--json` only. */
function shortOptions(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(
      ([, value]) => ['number', 'boolean'].includes(typeof value) || (typeof value === 'string' && !/\s/.test(value)),
    )
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

function countedNames(modules: ModuleWiring[]): string[] {
  const counts = new Map<string, number>();
  for (const { name } of modules) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name));
}
