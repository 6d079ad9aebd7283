import { SchematicsException } from '@angular-devkit/schematics';

const APP_MODULE = 'src/app.module.ts';
const MIGRATION_LIST = 'src/infrastructure/database/migrations.ts';

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

function edit(tree, file, change) {
  if (!tree.exists(file))
    throw new SchematicsException(`${file} does not exist: run the generator from the project root.`);
  tree.overwrite(file, change(tree.readText(file)));
}

/** Imports the new module in `AppModule`, after the feature modules already there. */
export function registerModule(tree, moduleClass, folder) {
  edit(tree, APP_MODULE, (source) => {
    const withImport = addImport(
      source,
      moduleClass,
      `./modules/${folder}/${folder}.module.js`,
      './modules/',
      APP_MODULE,
    );
    return appendToArray(withImport, /imports:\s*\[/, moduleClass, APP_MODULE, 'the imports array of AppModule');
  });
}

/** Adds the migration class to the explicit list the app, jest and the TypeORM CLI share. */
export function registerMigration(tree, migrationClass, fileStem) {
  edit(tree, MIGRATION_LIST, (source) => {
    const withImport = addImport(
      source,
      migrationClass,
      `./migrations/${fileStem}.js`,
      './migrations/',
      MIGRATION_LIST,
    );
    return appendToArray(
      withImport,
      /export const migrations\b.*?=\s*\[/,
      migrationClass,
      MIGRATION_LIST,
      'the migrations array',
    );
  });
}
