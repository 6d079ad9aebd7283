import { SchematicsException } from '@angular-devkit/schematics';

export const APP_MODULE = 'src/app.module.ts';
export const MIGRATION_LIST = 'src/infrastructure/database/migrations.ts';

/** Adds `import { symbol } from 'from';` after the last import whose path starts with `after`. */
function addImport(source, symbol, from, after, file) {
  const imports = [...source.matchAll(/^import [^;]+ from '([^']+)';$/gm)];
  const anchor = imports.filter((match) => match[1].startsWith(after)).pop() ?? imports.pop();
  if (!anchor) throw new SchematicsException(`No import statements found in ${file}; add the import by hand.`);
  const end = anchor.index + anchor[0].length;
  return `${source.slice(0, end)}\nimport { ${symbol} } from '${from}';${source.slice(end)}`;
}

/** Appends `symbol` to the first array literal that `opening` (a regex ending in `[`) starts. */
function appendToArray(source, opening, symbol, file, what) {
  const match = opening.exec(source);
  if (!match) throw new SchematicsException(`Could not find ${what} in ${file}; add ${symbol} to it by hand.`);
  const start = match.index + match[0].length;
  const end = source.indexOf(']', start);
  const body = source.slice(start, end).trimEnd();
  const separator = body === '' || body.endsWith(',') ? '' : ',';
  return `${source.slice(0, start)}${body}${separator} ${symbol},${source.slice(end)}`;
}

/**
 * Imports `symbol` from `from` in `file` (next to the imports from `after`) and appends it to
 * the array literal that `opening` starts; `what` names that array in the error messages.
 */
function register(tree, file, { symbol, from, after, opening, what }) {
  if (!tree.exists(file))
    throw new SchematicsException(`${file} does not exist: run the generator from the project root.`);
  const withImport = addImport(tree.readText(file), symbol, from, after, file);
  tree.overwrite(file, appendToArray(withImport, opening, symbol, file, what));
}

/** Imports the new module in `AppModule`, after the feature modules already there. */
export function registerModule(tree, moduleClass, folder) {
  register(tree, APP_MODULE, {
    symbol: moduleClass,
    from: `./modules/${folder}/${folder}.module.js`,
    after: './modules/',
    opening: /imports:\s*\[/,
    what: 'the imports array of AppModule',
  });
}

/** Adds the migration class to the explicit list the app, jest and the TypeORM CLI share. */
export function registerMigration(tree, migrationClass, fileStem) {
  register(tree, MIGRATION_LIST, {
    symbol: migrationClass,
    from: `./migrations/${fileStem}.js`,
    after: './migrations/',
    opening: /export const migrations\b.*?=\s*\[/,
    what: 'the migrations array',
  });
}
