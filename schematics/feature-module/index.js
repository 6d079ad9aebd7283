import {
  apply,
  applyTemplates,
  chain,
  forEach,
  mergeWith,
  move,
  SchematicsException,
  url,
} from '@angular-devkit/schematics';
import prettier from 'prettier';
import { featureNames, InvalidFeatureNameError } from './names.js';
import { APP_MODULE, MIGRATION_LIST, registerMigration, registerModule } from './registration.js';

const MODULES = 'src/modules';
const MIGRATIONS = 'src/infrastructure/database/migrations';

/**
 * `feature-module`: a new module under `src/modules/` shaped like `users`, registered in the
 * app module with its migration. Everything happens in the schematic's virtual tree, which
 * is written to disk only when every step succeeded: a refused name or a failed edit leaves
 * the working tree untouched.
 * @param {{ name: string, skipImport?: boolean }} options
 */
export function featureModule(options) {
  return (tree) => {
    const names = namesOrRefusal(options.name);
    refuseCollisions(tree, names);
    const timestamp = nextMigrationTimestamp(tree);
    const migrationClass = `Create${names.Entities}${timestamp}`;
    const migrationStem = `${timestamp}-Create${names.Entities}`;
    // What the templates produced (module, e2e specs, migration), to format at the end.
    const generated = [];
    return chain([
      mergeWith(
        apply(url('./files'), [
          applyTemplates({ ...names, timestamp }),
          move('/'),
          forEach((entry) => {
            generated.push(entry.path);
            return entry;
          }),
        ]),
      ),
      (current) => {
        registerMigration(current, migrationClass, migrationStem);
        generated.push(MIGRATION_LIST);
        if (!options.skipImport) {
          registerModule(current, `${names.Entities}Module`, names.entitiesKebab);
          generated.push(APP_MODULE);
        }
      },
      () => formatFiles(generated),
    ]);
  };
}

function namesOrRefusal(raw) {
  try {
    return featureNames(raw);
  } catch (error) {
    if (error instanceof InvalidFeatureNameError) throw new SchematicsException(error.message);
    throw error;
  }
}

/** The same feature under another spelling (`user` for `users`) counts as taken too. */
function refuseCollisions(tree, names) {
  for (const existing of tree.getDir(MODULES).subdirs) {
    let taken;
    try {
      taken = featureNames(existing).entitiesKebab;
    } catch {
      taken = existing;
    }
    if (existing === names.entitiesKebab || existing === names.entityKebab || taken === names.entitiesKebab)
      throw new SchematicsException(
        `A module '${existing}' already exists in ${MODULES}/: pick another name for '${names.labels}'.`,
      );
  }
  tree.getDir('src').visit((path) => {
    if (!path.endsWith('.orm-entity.ts')) return;
    const source = tree.readText(path);
    if (new RegExp(`@Entity\\(\\s*(\\{\\s*name:\\s*)?'${names.table}'`).test(source))
      throw new SchematicsException(
        `The table '${names.table}' is already mapped in ${path.slice(1)}: pick another name.`,
      );
  });
}

/** Migrations run in timestamp order, so the new one must sort after every existing one. */
function nextMigrationTimestamp(tree) {
  const existing = tree
    .getDir(MIGRATIONS)
    .subfiles.map((file) => Number(/^(\d+)-/.exec(file)?.[1] ?? 0))
    .reduce((a, b) => Math.max(a, b), 0);
  return Math.max(Date.now(), existing + 1);
}

/** With the project's own Prettier settings, so `npm run lint` passes without a `format` run. */
function formatFiles(paths) {
  return async (tree) => {
    for (const path of paths) {
      const config = await prettier.resolveConfig(path.replace(/^\//, ''));
      tree.overwrite(path, await prettier.format(tree.readText(path), { ...config, filepath: path }));
    }
  };
}
