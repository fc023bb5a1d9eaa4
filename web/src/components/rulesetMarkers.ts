import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { RulesetProblem } from '../api.ts';

/** A problem the server's validator found, with its JSON pointer (`POST /api/rulesets/validate`). */
export type Problem = RulesetProblem;

export interface TextRange {
  start: number;
  end: number;
}

function segments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Where a server problem sits in the editor's text: the node its JSON pointer names (for an
 * expression problem with a position, the character inside the string), else the nearest
 * existing ancestor; the whole document when nothing matches.
 */
export function problemRange(text: string, problem: Problem): TextRange {
  const root = parseTree(text);
  if (!root) return { start: 0, end: text.length };
  const path = segments(problem.pointer);
  let node: Node | undefined;
  for (let n = path.length; n >= 0 && !node; n--) node = findNodeAtLocation(root, path.slice(0, n));
  if (!node) return { start: 0, end: text.length };
  // An unknown key: point at the property name rather than its whole value.
  const target = node.parent?.type === 'property' && node.parent.children?.[0] && problem.code === 'unknown-signal' ? node.parent.children[0] : node;
  if (problem.position !== undefined && target.type === 'string') {
    const at = target.offset + 1 + problem.position;
    return { start: at, end: Math.min(at + 1, target.offset + target.length - 1) };
  }
  return { start: target.offset, end: target.offset + target.length };
}

/**
 * A JSON syntax error in the editor's text, in words: where it is (offsets into the text, and its
 * 1-based line and column) and what is wrong there. Never a parser's own message.
 */
export interface SyntaxProblem extends TextRange {
  line: number;
  column: number;
  message: string;
}

/** jsonc-parser's error codes (by name: its enum is a const enum), in words. */
const SYNTAX_WORDS: Record<ReturnType<typeof printParseErrorCode>, string> = {
  InvalidSymbol: 'this is not JSON here (a stray character, a name without double quotes, or a word other than true, false or null)',
  InvalidNumberFormat: 'this number is not written as JSON writes numbers',
  PropertyNameExpected: 'a property name in double quotes is expected here',
  ValueExpected: 'a value is expected here',
  ColonExpected: 'a colon is missing between the property name and its value',
  CommaExpected: 'a comma is missing before this',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'there is more text after the end of the ruleset',
  InvalidCommentToken: 'comments are not allowed in a ruleset',
  UnexpectedEndOfComment: 'comments are not allowed in a ruleset (and this one is not closed)',
  UnexpectedEndOfString: 'this string is not closed: its closing double quote is missing',
  UnexpectedEndOfNumber: 'this number ends too early',
  InvalidUnicode: 'a \\u escape needs four hexadecimal digits',
  InvalidEscapeCharacter: 'this backslash escape is not one JSON knows (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
  InvalidCharacter: 'a string cannot hold this character as it is (write a line break as \\n, a tab as \\t)',
  '<unknown ParseErrorCode>': 'the JSON does not parse here',
};

/** 1-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * The JSON syntax errors of the editor's text, as the server's `JSON.parse` would refuse it (no
 * comments, no trailing commas), one per place: the parser's follow-on errors at the same offset
 * are folded into the first, and a comma before a closing `}` or `]` is named as one too many.
 * Empty exactly when the text parses.
 */
export function syntaxProblems(text: string): SyntaxProblem[] {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problems: SyntaxProblem[] = [];
  const seen = new Set<number>();
  for (const e of errors) {
    if (seen.has(e.offset)) continue;
    seen.add(e.offset);
    let start = e.offset;
    let end = e.offset + e.length;
    const code = printParseErrorCode(e.error);
    let message = SYNTAX_WORDS[code];
    if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && (text[e.offset] === '}' || text[e.offset] === ']')) {
      let before = e.offset - 1;
      while (before >= 0 && /\s/.test(text[before]!)) before--;
      if (text[before] === ',') {
        // A trailing comma: mark the comma itself.
        start = before;
        end = before + 1;
        message = `a comma too many: nothing follows it before the closing ${text[e.offset]}`;
      }
    }
    // Never an empty range: a missing } at the very end marks the last character.
    if (end <= start) [start, end] = start >= text.length ? [Math.max(0, text.length - 1), Math.max(text.length, 1)] : [start, start + 1];
    problems.push({ start, end, ...lineColumn(text, start), message });
  }
  if (problems.length === 0) {
    try {
      JSON.parse(text);
    } catch {
      // Whatever the tolerant parser let through (it should be nothing): still not JSON, said in words.
      problems.push({ start: 0, end: Math.min(1, text.length), line: 1, column: 1, message: 'the ruleset is not valid JSON' });
    }
  }
  return problems;
}
