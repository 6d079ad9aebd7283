import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

/** The repository root (the Docker build context). */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const dockerDir = join(repoRoot, 'docker');

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The parts of a Dockerfile the tests need: its stages and their instructions, in order. */
export function parseDockerfile(text: string): Stage[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*\S)\s*$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].replace(/\s+/g, ' ');
    if (keyword === 'FROM') {
      const [, image, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ image, name, instructions: [] });
    } else if (keyword !== 'ARG' || stages.length > 0) {
      if (stages.length === 0) throw new Error(`${keyword} before the first FROM`);
      stages.at(-1)!.instructions.push({ keyword, args });
    }
  }
  return stages;
}

export function readDockerfile(): Stage[] {
  return parseDockerfile(readFileSync(join(dockerDir, 'Dockerfile'), 'utf8'));
}

export function instructions(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
}

/** An exec-form (`["node", "x.js"]`) argument list; shell form is rejected on purpose. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`not an exec-form list of strings: ${args}`);
  }
  return parsed;
}

export function workdir(stage: Stage): string {
  const dir = instructions(stage, 'WORKDIR').at(-1);
  if (!dir?.startsWith('/')) throw new Error(`stage ${stage.name ?? stage.image} has no absolute WORKDIR`);
  return dir;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

export function copies(stage: Stage): Copy[] {
  return instructions(stage, 'COPY').map((args) => {
    const words = args.split(' ');
    const flags = words.filter((word) => word.startsWith('--'));
    const paths = words.filter((word) => !word.startsWith('--'));
    const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
    return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
  });
}

export type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  stop_grace_period?: string;
  restart?: string;
};

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker/compose.yml as Compose reads it: YAML 1.2 with `<<` merge keys resolved. */
export function readCompose(): ComposeFile {
  const text = readFileSync(join(dockerDir, 'compose.yml'), 'utf8');
  return load(text, { schema: CORE_SCHEMA.withTags(mergeTag) }) as ComposeFile;
}

/**
 * What the shell exports before `docker compose up`: the values compose.yml takes from it
 * rather than holding them (a private signing key must not be committed).
 */
export const COMPOSE_SHELL_ENV: Record<string, string> = {
  AUTH_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
  WEBHOOK_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

/**
 * `${NAME}`, `${NAME:-default}` and `${NAME:?message}` as Compose interpolates them (v1 and v2):
 * a `:?` variable the shell lacks is an error.
 */
export function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?:(:\?|:-)([^}]*))?\}/g,
    (_, name: string, operator?: string, operand?: string) => {
      if (shell[name]) return shell[name];
      if (operator === ':?') throw new Error(`compose refuses to start: ${name}: ${operand}`);
      return operator === ':-' ? operand! : '';
    },
  );
}

/** Environment of a compose service as strings, the way the container sees it. */
export function serviceEnv(service: ComposeService, shell = COMPOSE_SHELL_ENV): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), shell)]),
  );
}

/**
 * Where a compiled file in `dist/` comes from in `src/`, by tsconfig.build.json's rootDir and
 * outDir (`dist/main.js` -> `src/main.ts`); undefined for a path outside outDir.
 */
export function sourceOf(compiled: string): string | undefined {
  const config = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as {
    compilerOptions: { rootDir: string; outDir: string };
  };
  const outDir = join(config.compilerOptions.outDir);
  const rootDir = join(config.compilerOptions.rootDir);
  const path = join(compiled);
  if (!path.startsWith(`${outDir}/`) || !path.endsWith('.js')) return undefined;
  return join(rootDir, path.slice(outDir.length + 1).replace(/\.js$/, '.ts'));
}

/** Patterns of .dockerignore (comments and blank lines dropped). */
export function dockerignorePatterns(): string[] {
  return readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/**
 * Whether .dockerignore keeps `path` (relative to the context) out of the build context. Handles
 * the forms the file uses: plain paths (which also exclude everything below them), `*` within one
 * path segment, and `!` exceptions, last match wins (Docker's rule).
 */
export function isDockerignored(path: string, patterns = dockerignorePatterns()): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('[^/]*')}(/.*)?$`);
    if (regex.test(path)) ignored = !negate;
  }
  return ignored;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
