import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

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

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
const isTestFile = (path: string) => path.startsWith('test/') || path.endsWith('.spec.ts');

/** The `## N. Name` sections of docs/patterns.md, each split at its **Files** and **Tests** labels. */
function patternSections(): { heading: string; files: string; tests: string }[] {
  const markdown = readFileSync('docs/patterns.md', 'utf8');
  return markdown
    .split(/^(?=## \d+\. )/m)
    .slice(1)
    .map((section) => {
      const heading = section.slice(3, section.indexOf('\n'));
      const filesAt = section.search(/^\*\*Files\*\*$/m);
      const testsAt = section.search(/^\*\*Tests\*\*$/m);
      // The Files list ends where the Tests list starts; a Files label after it counts as none.
      let files = '';
      if (filesAt >= 0 && testsAt < 0) files = section.slice(filesAt);
      if (filesAt >= 0 && filesAt < testsAt) files = section.slice(filesAt, testsAt);
      return { heading, files, tests: testsAt >= 0 ? section.slice(testsAt) : '' };
    });
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

  describe('each pattern in docs/patterns.md', () => {
    const sections = patternSections().map((section) => [section.heading, section] as const);

    it.each(sections)('"%s" lists source files under **Files**, before its tests', (_, { files }) => {
      const sources = pathsNamedIn(files).filter(
        (path) => path.startsWith('src/') && !isTestFile(path) && isFile(path),
      );
      expect(sources).not.toEqual([]);
    });

    it.each(sections)('"%s" lists the test files that prove it under **Tests**', (_, { tests }) => {
      const named = pathsNamedIn(tests);
      expect(named.filter((path) => isTestFile(path) && isFile(path))).not.toEqual([]);
      // A source file in the tests list would pass for a test without being one.
      expect(named.filter((path) => !isTestFile(path))).toEqual([]);
    });
  });
});
