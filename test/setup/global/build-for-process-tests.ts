import { execFileSync } from 'node:child_process';

/** Where process-level tests find the compiled app (kept apart from `dist/`, which `npm start` owns). */
export const TEST_BUILD_DIR = 'dist-test';

/** Compiles the app incrementally so process-level tests run the real `main.js` of this tree. */
export function buildForProcessTests(): void {
  execFileSync(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.build.json',
      '--outDir',
      TEST_BUILD_DIR,
      '--tsBuildInfoFile',
      `${TEST_BUILD_DIR}/.tsbuildinfo`,
    ],
    { stdio: 'inherit' },
  );
}
