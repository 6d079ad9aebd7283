import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type ICruiseOptions, type ICruiseResult, cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/**
 * A throwaway project with one file per case, written outside the repository so that tsc,
 * oxlint and the real cruise never see its deliberate violations.
 */
const fixture: Record<string, string> = {
  'src/infrastructure/db.ts': 'export const db = {};\n',
  'src/infrastructure/uses-module.ts': "export { ALPHA } from '../modules/alpha/alpha.contracts.js';\n",
  'src/shared/uses-test.ts': "export { fake } from '../../test/fake.js';\n",
  'src/shared/uses-test.spec.ts': "export { fake } from '../../test/fake.js';\n",
  'test/fake.ts': 'export const fake = 1;\n',
  'src/modules/alpha/alpha.contracts.ts': "export const ALPHA = 'alpha';\n",
  'src/modules/alpha/domain/alpha.ts': 'export class Alpha {}\n',
  'src/modules/beta/application/uses-contracts.ts': "export { ALPHA } from '../../alpha/alpha.contracts.js';\n",
  'src/modules/beta/application/uses-internals.ts':
    "import type { Alpha } from '../../alpha/domain/alpha.js';\nexport type A = Alpha;\n",
  'src/modules/beta/application/uses-internals.spec.ts': "export { Alpha } from '../../alpha/domain/alpha.js';\n",
  'src/modules/beta/application/uses-own-domain.ts': "export { Pure } from '../domain/pure.js';\n",
  'src/modules/beta/domain/pure.ts': "export { ALPHA as Pure } from '../../alpha/alpha.contracts.js';\n",
  'src/modules/beta/domain/uses-nest.ts': "export { Injectable } from '@nestjs/common';\n",
  'src/modules/beta/domain/uses-typeorm.ts':
    "import type { Repository } from 'typeorm';\nexport type R = Repository<object>;\n",
  'src/modules/beta/domain/uses-infrastructure.ts': "export { db } from '../../../infrastructure/db.js';\n",
  'src/modules/beta/domain/uses-own-http.ts': "export { Controller } from '../http/controller.js';\n",
  'src/modules/beta/http/controller.ts': 'export class Controller {}\n',
  'src/modules/beta/domain/ping.ts': "import { pong } from './pong.js';\nexport const ping = () => pong();\n",
  'src/modules/beta/domain/pong.ts': "import { ping } from './ping.js';\nexport const pong = () => ping();\n",
  'src/modules/beta/domain/uses-missing.ts': "export { gone } from './gone.js';\n",
};

const repoRoot = resolve(import.meta.dirname, '..');

async function cruiseTree(baseDir: string, overrides: ICruiseOptions = {}): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(repoRoot, 'tsconfig.json'));
  const { output } = await cruise(['src'], { ...options, ...overrides, baseDir }, {}, { tsConfig });
  return output as ICruiseResult;
}

function rulesBrokenBy(result: ICruiseResult, from: string): string[] {
  return result.summary.violations.filter((violation) => violation.from === from).map(({ rule }) => rule.name);
}

describe('module boundaries (.dependency-cruiser.cjs)', () => {
  let fixtureDir: string;
  let result: ICruiseResult;

  beforeAll(async () => {
    fixtureDir = await mkdtemp(join(tmpdir(), 'boundaries-'));
    for (const [path, source] of Object.entries(fixture)) {
      await mkdir(dirname(join(fixtureDir, path)), { recursive: true });
      await writeFile(join(fixtureDir, path), source);
    }
    // Packages then resolve to node_modules/... paths exactly as in the real tree.
    await symlink(join(repoRoot, 'node_modules'), join(fixtureDir, 'node_modules'), 'dir');
    result = await cruiseTree(fixtureDir, { preserveSymlinks: true });
  });

  afterAll(async () => {
    await rm(fixtureDir, { recursive: true, force: true });
  });

  it.each([
    ['src/modules/beta/application/uses-contracts.ts', []],
    ['src/modules/beta/application/uses-internals.ts', ['no-cross-module-internals']],
    ['src/modules/beta/application/uses-internals.spec.ts', ['no-cross-module-internals']],
    ['src/modules/beta/application/uses-own-domain.ts', []],
    ['src/modules/beta/domain/pure.ts', []],
    ['src/modules/beta/domain/uses-nest.ts', ['domain-stays-pure']],
    ['src/modules/beta/domain/uses-typeorm.ts', ['domain-stays-pure']],
    ['src/modules/beta/domain/uses-infrastructure.ts', ['domain-stays-pure']],
    ['src/modules/beta/domain/uses-own-http.ts', ['domain-stays-pure']],
    ['src/modules/beta/domain/uses-missing.ts', ['not-to-unresolvable']],
    ['src/infrastructure/uses-module.ts', ['kernel-independent-of-modules']],
    ['src/shared/uses-test.ts', ['no-test-code-in-src']],
    ['src/shared/uses-test.spec.ts', []],
  ])('%s breaks %j', (from, rules) => {
    expect(rulesBrokenBy(result, from)).toEqual(rules);
  });

  it('reports a cycle once, naming every file in it', () => {
    const cycles = result.summary.violations.filter(({ rule }) => rule.name === 'no-circular');
    expect(cycles).toHaveLength(1);
    const files = [cycles[0].from, ...(cycles[0].cycle ?? []).map(({ name }) => name)];
    expect(new Set(files)).toEqual(new Set(['src/modules/beta/domain/ping.ts', 'src/modules/beta/domain/pong.ts']));
  });

  it('the real src/ tree keeps to every rule', async () => {
    const real = await cruiseTree(repoRoot);
    expect(real.summary.violations).toEqual([]);
    // A cruise that found nothing would pass vacuously.
    expect(real.modules.some(({ source }) => source === 'src/app.module.ts')).toBe(true);
  });
});
