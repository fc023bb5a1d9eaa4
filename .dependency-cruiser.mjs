/**
 * Which way imports may point (`npm run check:deps`, run by `.ci/run` after the type check).
 * The layers: sdk ← signals ← engine ← server ← cli; the admin (`web/src`) and the extensions'
 * code (`extensions/<name>/src`) see only the API contract (`contract/`). Every violation below is an error.
 *
 * - Cycles are refused everywhere, tests and type-only imports included (a type-only cycle is
 *   still two modules that cannot be read, moved or owned apart).
 * - The direction rules skip test files (`*.test.ts(x)`, `*.testing.ts`, `testing/` folders,
 *   `web/e2e/`): a test of the engine may generate a shop with `scenarios/`, a signal's test may
 *   normalize a real webhook body with the server's normalizer. In exchange no shipped module
 *   (sdk, signals, engine, server, plugins, the admin, the extensions) may import a test file or
 *   helper, else an edge could pass through one; tools (scenarios/, bench/, cli/) may use the
 *   doubles. `sdk/` gets no exemption: it is published on its own, tests included, and
 *   `sdk/testing` is its published `SignalTester`, not a helper.
 * - The routes (`server/routes/`) reach fits and weight suggestions through `RulesetService`, never
 *   `FitService` or `SuggestionService` themselves (their tests may).
 * - The engine reads `rulesets/` (the DSL's schema); the server may import `scenarios/` only from
 *   its demo module (`server/demo/`), and that module only by a dynamic `import()`, so the demo
 *   generator is loaded in demo mode only.
 * - `contract/` is the API's request and answer types, one file per resource: types only (no
 *   import of it or from it is a run-time one), and its types come from itself, `engine/` and
 *   `sdk/` (a trace is the engine's `Decision`, a report its `SimulationReport`), never from the
 *   server, which imports the contract to check its answers (`satisfies Sendable<…>`).
 * - `web/src` and `extensions/<name>/src` see one module of ours for types, the contract (the
 *   engine's and sdk's types reach them through it), and `rulesets/` (the DSL's schema, which the
 *   editor loads at run time); at run time nothing else of ours.
 *
 * The TypeScript is parsed with swc (`@swc/core`): dependency-cruiser cannot use TypeScript 7.0's
 * compiler, which has no JavaScript API (it supports 6.x and, again, 7.1 on). swc keeps type-only
 * imports apart, so the rules tell `import type` from run-time imports.
 * `scripts/checkDeps.test.ts` runs these rules on a small tree: each forbidden edge is caught.
 */

/** Test files and test helpers: exempt from the direction rules (not from cycles). */
const TESTS = ['\\.test\\.tsx?$', '\\.testing\\.tsx?$', '(^|/)testing/', '^web/e2e/'];

/** Every top-level folder of source in this repository. */
const OURS = '^(bench|bin|cli|contract|engine|examples|extensions|hostile|migrations|plugins|rulesets|scenarios|scripts|sdk|server|signals|web)/';

const UI = ['^web/src/', '^extensions/[^/]+/src/'];

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move the shared type or function to the module that owns it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolved-relative',
      severity: 'error',
      comment: 'A relative import that resolves to no file: the check would miss its edges.',
      from: {},
      to: { couldNotResolve: true, path: '^\\.' },
    },
    {
      name: 'sdk-imports-nothing-of-ours',
      severity: 'error',
      comment: 'sdk/ is the contract for signal authors, published on its own: it imports nothing else of this repository (its tests neither).',
      from: { path: '^sdk/' },
      to: { path: OURS, pathNot: '^sdk/' },
    },
    {
      name: 'signals-only-see-the-sdk',
      severity: 'error',
      comment: 'A signal is written against sdk/ only: no engine, server, cli, web (tests may use the server normalizer and fixtures).',
      from: { path: '^signals/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(signals|sdk)/' },
    },
    {
      name: 'engine-below-the-app',
      severity: 'error',
      comment: 'engine/ is pure: it imports sdk/, signals/ and rulesets/ (the schema), never server/, cli/, web/, scenarios/, plugins/ (tests may generate shops with scenarios/).',
      from: { path: '^engine/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(engine|sdk|signals|rulesets)/' },
    },
    {
      name: 'server-below-cli-and-web',
      severity: 'error',
      comment: 'server/ never imports cli/, web/, bench/, hostile/ or examples/: what both need lives in the server (e.g. server/history/).',
      from: { path: '^server/', pathNot: TESTS },
      to: { path: '^(cli|web|bench|hostile|examples|bin)/' },
    },
    {
      name: 'server-scenarios-only-in-demo',
      severity: 'error',
      comment: 'The demo generator (scenarios/) is reached from the server only through its demo module, server/demo/.',
      from: { path: '^server/', pathNot: [...TESTS, '^server/demo/'] },
      to: { path: '^scenarios/' },
    },
    {
      name: 'server-demo-loaded-lazily',
      severity: 'error',
      comment: 'server/demo/ (and the generator behind it) is loaded with a dynamic import(), in demo mode only.',
      from: { path: '^server/', pathNot: [...TESTS, '^server/demo/'] },
      to: { path: '^server/demo/', dynamic: false },
    },
    {
      name: 'routes-reach-the-ruleset-lifecycle-through-its-service',
      severity: 'error',
      comment: 'Fits and weight suggestions are part of the ruleset lifecycle: a route reaches them through RulesetService (which composes FitService and SuggestionService), never those modules, types included.',
      from: { path: '^server/routes/', pathNot: TESTS },
      to: { path: '^server/services/(FitService|SuggestionService)\\.ts$' },
    },
    {
      name: 'ui-runtime-sees-only-itself',
      severity: 'error',
      comment: 'The admin and the extensions run in the browser against the API: at run time they import their own code and rulesets/ (the schema), nothing else of ours.',
      from: { path: UI, pathNot: TESTS },
      to: { path: OURS, pathNot: ['^web/src/', '^extensions/[^/]+/src/', '^rulesets/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-types-from-the-contract',
      severity: 'error',
      comment: 'The admin and the extensions take the API\'s types from contract/ only (not from engine/, sdk/ or the server: the contract re-exports what they need).',
      from: { path: UI, pathNot: TESTS },
      to: { path: OURS, pathNot: ['^web/src/', '^extensions/[^/]+/src/', '^rulesets/', '^contract/'] },
    },
    {
      name: 'contract-is-types-only',
      severity: 'error',
      comment: 'contract/ holds types only: no run-time import, from it or of anything.',
      from: { path: '^contract/' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'contract-types-from-engine-and-sdk',
      severity: 'error',
      comment: 'The contract\'s types come from itself, engine/ and sdk/ only: never from the server (which imports the contract), web/ or anything else.',
      from: { path: '^contract/' },
      to: { path: OURS, pathNot: '^(contract|engine|sdk)/' },
    },
    {
      name: 'cli-is-the-top',
      severity: 'error',
      comment: 'cli/ is the top of the stack: only bin/ and bench/ (and tests) import it.',
      from: { path: OURS, pathNot: [...TESTS, '^(cli|bin|bench)/'] },
      to: { path: '^cli/' },
    },
    {
      name: 'web-is-a-leaf',
      severity: 'error',
      comment: 'web/ is built and served, never imported: only its own files and tests import it.',
      from: { path: OURS, pathNot: [...TESTS, '^web/'] },
      to: { path: '^web/' },
    },
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      comment: 'Test files and helpers are exempt from the direction rules, so the shipped code must not import them (sdk/testing is the published SignalTester, not a helper).',
      from: { path: ['^(sdk|signals|engine|contract|server|plugins)/', ...UI], pathNot: TESTS },
      to: { path: TESTS, pathNot: '^sdk/testing/' },
    },
  ],
  options: {
    // swc reports type-only imports as such (no `tsPreCompilationDeps`, which would ask for tsc).
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // Dot folders (.data, .scratch, .git) are not source; `^\.[^./]` leaves unresolved `./x` imports to no-unresolved-relative.
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '^\\.[^./]', '^coverage/', '^web/e2e/screenshots/'] },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
