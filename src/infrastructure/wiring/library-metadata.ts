/**
 * Metadata keys that `@nestjs/cqrs` and `@nestjs/bullmq` write with their decorators but do
 * not export (their package `exports` hide the constants files). Copied from
 * `@nestjs/cqrs/dist/decorators/constants.js` and `@nestjs/bullmq/dist/bull.constants.js`;
 * library-metadata.spec.ts decorates real classes and fails if a library renames one.
 */
export const LIBRARY_METADATA = {
  /** On a handler class: the command class it handles. */
  commandHandler: '__commandHandler__',
  /** On a handler class: the query class it handles. */
  queryHandler: '__queryHandler__',
  /** On a handler class: the event classes it handles. */
  eventsHandler: '__eventsHandler__',
  /** On a processor class: `{ name }` of the queue it consumes. */
  processor: 'bullmq:processor_metadata',
} as const;
