// The exact module instances json-rules-engine itself requires, so that path
// resolution and value copying are the reference behaviour by construction.
import { createRequire } from 'node:module';

type JsonPathFn = ((options: { path: string; json: unknown; wrap: false }) => unknown) & {
  toPathArray(path: string): unknown[];
};

const requireFromHere = createRequire(import.meta.url);
const requireFromEngine = createRequire(requireFromHere.resolve('json-rules-engine'));

// json-rules-engine 7.3.1 depends on jsonpath-plus ^10 (10.4.x), not the
// top-level 11.x: 11 tokenizes quoted names differently (`$.x['a,b']` gives 1
// in 10 and [1] in 11).
export const { JSONPath } = requireFromEngine('jsonpath-plus') as { JSONPath: JsonPathFn };

// RuleResult deep-copies the conditions with `clone` before evaluating them,
// and clone skips keys that shadow an Object.prototype data property
// ("constructor", "toString", ...) while "__proto__" replaces the prototype.
// Literal values are compared in that copied form.
export const cloneLikeRuleResult = requireFromEngine('clone') as <T>(value: T) => T;
