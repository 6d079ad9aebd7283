// `npm start` builds first; this skips the build when dist/ is newer than every input, so a
// restart takes a second instead of a full compile.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.built';
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function newestChange(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

const builtAt = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (INPUTS.some((input) => existsSync(input) && newestChange(input) > builtAt)) {
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
} else {
  console.error('dist/ is up to date: skipping the build');
}
