import type { Type } from '@nestjs/common';
import { Session } from 'node:inspector/promises';

const PROBE = 'wiring:probe';

/**
 * The URL of the file each class was defined in, as V8 records it (what a debugger shows
 * for "go to definition"), asked through the inspector protocol. The DI container does not
 * say where a module class comes from; this tells a package's modules from the application's.
 * Empty when the runtime has no inspector.
 */
export async function definitionUrls(classes: Iterable<Type>): Promise<Map<Type, string>> {
  const urls = new Map<Type, string>();
  const session = new Session();
  try {
    session.connect();
  } catch {
    return urls;
  }
  const scripts = new Map<string, string>();
  session.on('Debugger.scriptParsed', ({ params }) => scripts.set(params.scriptId, params.url));
  const globals = globalThis as Record<symbol, unknown>;
  try {
    // Enabling the debugger replays a scriptParsed event for every script already loaded.
    await session.post('Debugger.enable');
    for (const type of new Set(classes)) {
      // Runtime.evaluate cannot see local variables: hand the class over through a global.
      globals[Symbol.for(PROBE)] = type;
      const { result } = await session.post('Runtime.evaluate', { expression: `globalThis[Symbol.for('${PROBE}')]` });
      const { internalProperties } = await session.post('Runtime.getProperties', { objectId: result.objectId! });
      const location = internalProperties?.find(({ name }) => name === '[[FunctionLocation]]')?.value?.value as
        { scriptId: string } | undefined;
      const url = location && scripts.get(location.scriptId);
      if (url) urls.set(type, url);
    }
    return urls;
  } finally {
    delete globals[Symbol.for(PROBE)];
    session.disconnect();
  }
}
