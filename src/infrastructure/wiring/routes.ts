import { RequestMethod, type Type, VERSION_NEUTRAL } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner } from '@nestjs/core';
import { accessPolicyOf, describeAccessPolicy } from '../auth/access-policy.js';

/** What `@Controller({ version })` and `@Version()` accept. */
type VersionValue = string | typeof VERSION_NEUTRAL | (string | typeof VERSION_NEUTRAL)[];

export interface RouteWiring {
  method: string;
  /** As registered: `/v1/users/:id`. */
  path: string;
  /** `null` for a version-neutral route. */
  version: string | null;
  /** `Controller.method`. */
  handler: string;
  /** Who may call it (`public`, `authenticated`, `role:admin`, `owner:task`); `undefined` when it declares no policy. */
  access?: string;
}

/**
 * The routes Nest registers for a controller under URI versioning (`/v{n}/...`), read from
 * the decorators' metadata the way Nest's router reads it: a method's `@Version` wins over
 * the controller's `version`, which wins over `defaultVersion`; a version-neutral route gets
 * no prefix, and a list of versions gives one route each. A global prefix and RouterModule
 * paths are not applied: this application uses neither.
 */
export function routesOf(controller: Type, defaultVersion: VersionValue, scanner: MetadataScanner): RouteWiring[] {
  const prototype = controller.prototype as Record<string, unknown>;
  const controllerPaths = listOf<string>(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
  const controllerVersion = Reflect.getMetadata(VERSION_METADATA, controller) as VersionValue | undefined;
  return scanner.getAllMethodNames(prototype).flatMap((name) => {
    const target = prototype[name] as object;
    const methodPaths = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
    if (methodPaths === undefined) return [];
    const access = accessPolicyOf(target, controller);
    const method = RequestMethod[(Reflect.getMetadata(METHOD_METADATA, target) as RequestMethod) ?? RequestMethod.GET];
    const versions = listOf(
      (Reflect.getMetadata(VERSION_METADATA, target) as VersionValue | undefined) ??
        controllerVersion ??
        defaultVersion,
    );
    return versions.flatMap((version) =>
      controllerPaths.flatMap((controllerPath) =>
        listOf(methodPaths).map((methodPath) => ({
          method,
          path: joinPath(version === VERSION_NEUTRAL ? '' : `v${version}`, controllerPath, methodPath),
          version: version === VERSION_NEUTRAL ? null : version,
          handler: `${controller.name}.${name}`,
          access: access && describeAccessPolicy(access),
        })),
      ),
    );
  });
}

function listOf<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function joinPath(...segments: string[]): string {
  return `/${segments
    .map((segment) => segment.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}
