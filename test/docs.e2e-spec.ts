import { existsSync, readdirSync, readFileSync } from 'node:fs';

const documents = ['README.md', ...readdirSync('docs').map((name) => `docs/${name}`)].filter((path) =>
  path.endsWith('.md'),
);

/** Backticked paths rooted in the repository's own folders, e.g. `src/main.ts` or `test/queue/`. */
function pathsNamedIn(markdown: string): string[] {
  const roots = /^(src|test|docs|docker|bench|\.ci)\//;
  return [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map(([, candidate]) => candidate)
    .filter((candidate) => roots.test(candidate) && !/[<*]/.test(candidate));
}

describe('documentation', () => {
  it.each(documents)('%s names only files and folders that exist', (document) => {
    const missing = pathsNamedIn(readFileSync(document, 'utf8')).filter((path) => !existsSync(path));
    expect(missing).toEqual([]);
  });

  it('docs/patterns.md covers the twelve patterns', () => {
    const headings = [...readFileSync('docs/patterns.md', 'utf8').matchAll(/^## (\d+)\. /gm)].map(([, n]) => Number(n));
    expect(headings).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
