import 'reflect-metadata';
import { ModulesContainer } from '@nestjs/core';
import { definitionUrls } from './definition-urls.js';
import { messageCatalogue } from './messages.js';
import { previewApplication } from './preview.js';
import { WiringError } from './wiring.check.js';
import { WiringExplorer } from './wiring.explorer.js';
import { formatWiringReport } from './wiring.format.js';
import { buildWiringReport } from './wiring.report.js';

const USAGE = `Usage: npm run wiring -- [--json] [--all]

Prints how the application is wired, read from its DI container in Nest's preview mode:
the modules are scanned and nothing is started, so no database, Redis or network is needed.

  --json   the report as JSON
  --all    list the providers of library modules too
  --help   this text

Exits with 1 when the wiring check fails, as the application would at startup.`;

const OPTIONS = ['--json', '--all', '--help'];

async function main(args: string[]): Promise<number> {
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.filter((arg) => !OPTIONS.includes(arg));
  if (unknown.length > 0) {
    console.error(`Unknown option: ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const app = await previewApplication();
  try {
    const moduleClasses = [...app.get(ModulesContainer).values()].map((module) => module.metatype);
    const urls = await definitionUrls(moduleClasses);
    const report = buildWiringReport(
      WiringExplorer.of(app),
      messageCatalogue,
      (type) => urls.get(type)?.includes('/node_modules/') ?? false,
    );
    process.stdout.write(
      args.includes('--json')
        ? `${JSON.stringify(report, null, 2)}\n`
        : formatWiringReport(report, { all: args.includes('--all') }),
    );
    if (report.slips.length === 0) return 0;
    console.error(new WiringError(report.slips).message);
    return 1;
  } finally {
    await app.close();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`Could not read the wiring: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
