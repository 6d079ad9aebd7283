import { readFileSync } from 'node:fs';
import { envSchema, parseEnv } from './env.schema.js';

const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
const documented = Object.fromEntries(
  [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name, value.trim()]),
);

describe('.env.example', () => {
  it('lists exactly the variables the schema reads', () => {
    expect(Object.keys(documented).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('documents the real defaults', () => {
    expect(parseEnv(documented)).toEqual(parseEnv({}));
  });
});
