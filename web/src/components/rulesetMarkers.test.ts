import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../../rulesets/default.json' with { type: 'json' };
import { syntaxProblems } from './rulesetMarkers.ts';

/** The rule editor's JSON syntax errors, as the page counts, lists and marks them (no browser). */
describe('syntaxProblems', () => {
  const stored = JSON.stringify(defaultRuleset, null, 2);

  it('finds nothing in a ruleset that parses', () => {
    expect(syntaxProblems(stored)).toEqual([]);
  });

  it('names a missing comma where the next property starts, with its line and column', () => {
    const text = stored.replace('"medium": 31,', '"medium": 31');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"medium": 31')) + 2;
    const column = lines[line - 1]!.indexOf('"high"') + 1;
    const [problem, ...more] = syntaxProblems(text);
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ line, column, message: 'a comma is missing before this' });
    expect(text.slice(problem!.start, problem!.end)).toBe('"high"');
  });

  it('marks a trailing comma itself, once', () => {
    const text = '{\n  "zones": { "medium": 31, "high": 66, }\n}';
    const problems = syntaxProblems(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, message: 'a comma too many: nothing follows it before the closing }' });
    expect(text.slice(problems[0]!.start, problems[0]!.end)).toBe(',');
    expect(syntaxProblems('[1, 2,\n]')[0]).toMatchObject({ line: 1, column: 6, message: 'a comma too many: nothing follows it before the closing ]' });
  });

  it('refuses what JSON.parse refuses: comments, single quotes, bare words, an unclosed string or object', () => {
    for (const text of ['{"a": 1 // note\n}', "{'a': 1}", '{"a": tru}', '{"a": "abc', '{"a": 1', '', '{"a": 01}', '{"a": "\\x"}', '{"a": "tab\there"}']) {
      const problems = syntaxProblems(text);
      expect(problems.length, text).toBeGreaterThan(0);
      expect(() => JSON.parse(text), text).toThrow();
      for (const p of problems) {
        // Never an empty range (a marker needs a character), never the parser's own words.
        expect(p.end, text).toBeGreaterThan(p.start);
        expect(p.message).not.toMatch(/Expected|Unexpected|position|Token|Comma|Brace/);
      }
    }
    expect(syntaxProblems('{"a": 1 // note\n}')[0]!.message).toBe('comments are not allowed in a ruleset');
    expect(syntaxProblems('{"a": "abc')[0]!.message).toBe('this string is not closed: its closing double quote is missing');
    expect(syntaxProblems('{"a": 1').at(-1)).toMatchObject({ start: 6, end: 7, message: 'a closing } is missing' });
  });

  it('folds the parser\'s follow-on errors at one place into one problem', () => {
    // A missing value: "value expected" and "property name expected" both at the comma.
    const problems = syntaxProblems('{"a":,"b": 1}');
    expect(problems.map((p) => p.start)).toEqual([...new Set(problems.map((p) => p.start))]);
  });
});
