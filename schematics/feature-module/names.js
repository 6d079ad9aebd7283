import pluralize from 'pluralize';

/**
 * @typedef {object} FeatureNames Every spelling of one feature's name the templates use,
 *   shown for `purchase-orders`.
 * @property {string} Entity PurchaseOrder (classes)
 * @property {string} Entities PurchaseOrders
 * @property {string} entity purchaseOrder (variables)
 * @property {string} entities purchaseOrders
 * @property {string} entityKebab purchase-order (files)
 * @property {string} entitiesKebab purchase-orders (module folder, URL path)
 * @property {string} table purchase_orders
 * @property {string} CODE PURCHASE_ORDERS (error codes, constants)
 * @property {string} ENTITY PURCHASE_ORDER
 * @property {string} label purchase order (messages)
 * @property {string} labels purchase orders
 * @property {string} Label Purchase order
 * @property {string} Labels Purchase orders
 */

/** A clear refusal; the generator prints the message and writes nothing. */
export class InvalidFeatureNameError extends Error {}

const MAX_LENGTH = 40;

/** ECMAScript reserved words and TypeScript's contextual keywords that cannot name a variable. */
const RESERVED_WORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if implements import in instanceof interface let new null package private protected public ' +
    'return static super switch this throw true try typeof var void while with yield arguments eval undefined ' +
    'any as async boolean constructor declare get infer is keyof module namespace never number object of readonly ' +
    'require set string symbol type unique unknown'
  ).split(' '),
);

/**
 * Classes a generated module imports or the runtime defines: a feature called `Clock` or
 * `Promise` would shadow them in its own files.
 */
const RESERVED_CLASS_NAMES = new Set(
  (
    'Array Boolean Command Controller Date Error Event Function Map Module Number Object Promise Query Record ' +
    'Repository Request Response Set String Symbol Clock DataSource Entity Column Body Param Headers Page Principal'
  ).split(' '),
);

/** Folder and table names the application already uses for itself. */
const RESERVED_MODULE_NAMES = new Set([
  'app',
  'apps',
  'config',
  'configs',
  'database',
  'databases',
  'health',
  'http',
  'infrastructure',
  'lifecycle',
  'logging',
  'mail',
  'mails',
  'migrations',
  'modules',
  'queue',
  'queues',
  'redis',
  'resilience',
  'shared',
  'tests',
  'wiring',
  'bullmq',
]);

/** `purchase-orders`, `PurchaseOrder`, `purchase order`, `purchase_orders` → ['purchase', 'orders']. */
function wordsOf(raw) {
  return raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

const capitalise = (word) => word[0].toUpperCase() + word.slice(1);
const pascal = (words) => words.map(capitalise).join('');
const camel = (words) => words[0] + pascal(words.slice(1));

/**
 * Every form of a feature's name, or `InvalidFeatureNameError` saying what is wrong with it.
 * Only the last word changes number: `purchase orders` / `purchase order`.
 * @param {string} raw
 * @returns {FeatureNames}
 */
export function featureNames(raw) {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new InvalidFeatureNameError('Give the feature a name, e.g. `npm run generate:module -- purchase-orders`.');
  if (!/^[A-Za-z][A-Za-z0-9 _-]*$/.test(raw.trim()))
    throw new InvalidFeatureNameError(
      `'${raw}' is not a valid name: use letters, digits, spaces, '-' or '_', starting with a letter.`,
    );
  const words = wordsOf(raw);
  if (words.some((word) => !/^[a-z][a-z0-9]*$/.test(word)))
    throw new InvalidFeatureNameError(`'${raw}' is not a valid name: every word must start with a letter.`);

  const last = words[words.length - 1];
  const singularWords = [...words.slice(0, -1), pluralize.singular(last)];
  const pluralWords = [...words.slice(0, -1), pluralize.plural(last)];
  const names = {
    Entity: pascal(singularWords),
    Entities: pascal(pluralWords),
    entity: camel(singularWords),
    entities: camel(pluralWords),
    entityKebab: singularWords.join('-'),
    entitiesKebab: pluralWords.join('-'),
    table: pluralWords.join('_'),
    CODE: pluralWords.join('_').toUpperCase(),
    ENTITY: singularWords.join('_').toUpperCase(),
    label: singularWords.join(' '),
    labels: pluralWords.join(' '),
    Label: capitalise(singularWords.join(' ')),
    Labels: capitalise(pluralWords.join(' ')),
  };

  if (names.entitiesKebab.length > MAX_LENGTH)
    throw new InvalidFeatureNameError(
      `'${raw}' is too long: at most ${MAX_LENGTH} characters as ${names.entitiesKebab}.`,
    );
  if (names.entity === names.entities)
    throw new InvalidFeatureNameError(
      `'${raw}' has the same singular and plural (${names.entity}); the generated code needs both. Pick another noun.`,
    );
  for (const word of [names.entity, names.entities])
    if (RESERVED_WORDS.has(word))
      throw new InvalidFeatureNameError(`'${raw}' is a reserved word in JavaScript or TypeScript (${word}).`);
  for (const className of [names.Entity, names.Entities])
    if (RESERVED_CLASS_NAMES.has(className))
      throw new InvalidFeatureNameError(
        `'${raw}' would make a class ${className}, which generated code already uses for something else.`,
      );
  // Reserved names are single lowercase words, so a table name can only match one when it
  // has a single word, and then it is the same as entitiesKebab: checking the folders covers it.
  for (const folder of [names.entityKebab, names.entitiesKebab])
    if (RESERVED_MODULE_NAMES.has(folder))
      throw new InvalidFeatureNameError(`'${raw}' is reserved: the application uses '${folder}' for itself.`);
  return names;
}
