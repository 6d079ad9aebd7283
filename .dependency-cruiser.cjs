/**
 * Module boundaries, checked by `npm run lint` and by test/boundaries.e2e-spec.ts.
 *
 * A .cjs file: under "type": "module" a .js file would be an ES module, where
 * `module.exports` does not exist. Paths in rules are relative to the repository root
 * and point at the resolved `.ts` sources (a `./user.js` specifier resolves to `user.ts`).
 *
 * Unit specs (`src/**\/*.spec.ts`) are cruised like any other file: a spec that reaches
 * into another module's internals couples the two modules just as much as production code
 * does, so the boundary rules hold for specs too. Only the rule about `test/` exempts them.
 */

/** Packages that tie code to a framework, a database or a queue. */
const INFRASTRUCTURE_PACKAGES = '(@nestjs/[^/]+|typeorm|bullmq|ioredis|pg)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-module-internals',
      severity: 'error',
      comment:
        'A module may import only the *.contracts.ts file of another module. Talk through ' +
        "buses and integration events, or move what you need into that module's contracts " +
        '(see docs/architecture.md).',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/',
        // A named back-reference, because `$1` is replaced with the importing module's name.
        pathNot: ['^src/modules/$1/', '^src/modules/(?<target>[^/]+)/\\k<target>[.]contracts[.]ts$'],
      },
    },
    {
      name: 'domain-stays-pure',
      severity: 'error',
      comment:
        'domain/ holds plain TypeScript: no Nest, TypeORM, BullMQ, Redis or pg, nothing from ' +
        'src/infrastructure/, and nothing from its own application/, infrastructure/ or http/ ' +
        'layers. Declare a port (abstract class) in domain/ and implement it in infrastructure/.',
      from: { path: '^src/modules/([^/]+)/domain/' },
      to: {
        path: [
          // Resolved packages live under node_modules/; unresolvable ones keep their bare name.
          `(^|/)node_modules/${INFRASTRUCTURE_PACKAGES}/`,
          `^${INFRASTRUCTURE_PACKAGES}(/|$)`,
          '^src/infrastructure/',
          '^src/modules/$1/(infrastructure|application|http)/',
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle. Cycles make load order fragile (a class can be undefined ' +
        'at decoration time) and blur which side owns what; break it with a port or an event.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-independent-of-modules',
      severity: 'error',
      comment:
        'src/shared/ and src/infrastructure/ serve every module, so they must not depend on ' +
        'any one of them. Only src/app.module.ts wires the feature modules together.',
      from: { path: '^src/(shared|infrastructure)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment:
        'Production code must not import from test/: it is not compiled into the image. ' +
        'Unit specs (*.spec.ts) may, to share fakes and contract suites.',
      from: { path: '^src/', pathNot: '[.]spec[.]ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import does not resolve to a file. Besides being a bug, an unresolved import ' +
        'is invisible to the rules above, so the boundary check would pass without checking it.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded: domain-stays-pure needs to see which packages are imported.
    exclude: { path: '^(dist|dist-test|coverage|[.]data)/' },
    // `import type` across a boundary is still coupling, so count imports that tsc erases.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
