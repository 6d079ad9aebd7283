import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

export const API_VERSION_HEADER = 'x-api-version';
export const DEFAULT_API_VERSION = '1';

const VERSIONED_PATH = /^\/v(\d+)(?:\/|$)/;
const kRequestedVersion = Symbol('requestedApiVersion');
const kOriginalUrl = Symbol('originalUrl');

type VersionedRequest = IncomingMessage & { [kRequestedVersion]?: string; [kOriginalUrl]?: string };

/**
 * URI versioning (`/v1/users`) plus header versioning on unversioned paths: `GET /users`
 * with `X-API-Version: 2` is rewritten to `/v2/users` before routing, so both reach the
 * same handler. Precedence: a version in the path always wins and the header is ignored
 * there; on an unversioned path the header decides; without it, version 1. Paths that are
 * registered without a version (version-neutral routes such as `/health/live`) are never
 * rewritten.
 */
export class ApiVersioning {
  private readonly neutralRoutes = FindMyWay();
  /**
   * The neutral routes without parameters or wildcards, by method: an exact match here is a
   * match in `neutralRoutes` too, found with one hash lookup instead of a router walk, on every
   * probe (`/health/live`) and every request for the docs.
   */
  private readonly staticNeutralPaths = new Map<string, Set<string>>();
  private readonly knownVersions = new Set<string>();

  /**
   * Records every route Fastify registers; call before any route is added. Also marks the
   * answers to unversioned paths `Vary: X-API-Version`, so that a cache keeps the v1 and v2
   * answers of `/users/42` apart.
   */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if ((request.raw as VersionedRequest)[kOriginalUrl] !== undefined) {
        const vary = reply.getHeader('vary');
        void reply.header('vary', vary ? `${String(vary)}, ${API_VERSION_HEADER}` : API_VERSION_HEADER);
      }
      done(null, payload);
    });
    fastify.addHook('onRoute', (route) => {
      const version = VERSIONED_PATH.exec(route.url)?.[1];
      if (version) {
        this.knownVersions.add(version);
        return;
      }
      const methods = [route.method].flat().map((method) => method.toUpperCase() as HTTPMethod);
      for (const method of methods) {
        if (!this.neutralRoutes.hasRoute(method, route.url)) this.neutralRoutes.on(method, route.url, () => undefined);
        if (!/[:*]/.test(route.url)) {
          const paths = this.staticNeutralPaths.get(method) ?? new Set<string>();
          this.staticNeutralPaths.set(method, paths.add(route.url));
        }
      }
    });
  }

  /** Fastify's `rewriteUrl`. */
  readonly rewriteUrl = (req: IncomingMessage): string => {
    const url = req.url ?? '/';
    if (VERSIONED_PATH.test(url)) return url;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (
      this.staticNeutralPaths.get(req.method ?? '')?.has(path) ||
      this.neutralRoutes.find(req.method as HTTPMethod, path)
    )
      return url;
    const header = req.headers[API_VERSION_HEADER];
    const version = typeof header === 'string' ? header.trim().replace(/^v/i, '') : DEFAULT_API_VERSION;
    (req as VersionedRequest)[kRequestedVersion] = version;
    (req as VersionedRequest)[kOriginalUrl] = url;
    return /^\d+$/.test(version) ? `/v${version}${url}` : url;
  };

  /** The path the client asked for, before a header version was folded into it. */
  static originalPath(req: IncomingMessage): string {
    return ((req as VersionedRequest)[kOriginalUrl] ?? req.url ?? '/').split('?', 1)[0];
  }

  get supportedVersions(): string[] {
    return [...this.knownVersions].sort((a, b) => Number(a) - Number(b));
  }

  /**
   * For a request that matched no route: the version it asked for when that version does
   * not exist at all, so the error can say so instead of a bare 404.
   */
  unsupportedVersionOf(req: IncomingMessage): { version: string; via: 'header' | 'path' } | undefined {
    const fromHeader = (req as VersionedRequest)[kRequestedVersion];
    if (fromHeader !== undefined)
      return this.knownVersions.has(fromHeader) ? undefined : { version: fromHeader, via: 'header' };
    const fromPath = VERSIONED_PATH.exec(req.url ?? '')?.[1];
    return fromPath && !this.knownVersions.has(fromPath) ? { version: fromPath, via: 'path' } : undefined;
  }
}
