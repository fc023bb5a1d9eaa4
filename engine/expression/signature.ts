/**
 * Port of jsonata's function-signature validator (signature.js). A signature such as `<a<n>:n>` or
 * `<s-nn?:s>` is compiled once into a regex over one-letter type symbols of the supplied
 * arguments; validation coerces arguments the way jsonata does (e.g. a single value passed where
 * an array is expected becomes a one-item array, and a missing `-` argument takes the context).
 */
import { EvalFault } from './errors.ts';
import { isFunctionValue, tickMany, type Env } from './values.ts';

interface SignatureParam {
  regex: string;
  type: string;
  array?: boolean;
  subtype?: string;
  context?: boolean;
  contextRegex?: RegExp;
}

export interface Signature {
  readonly definition: string;
  validate(args: readonly unknown[], context: unknown, env: Env): unknown[];
}

const ARRAY_SUBTYPE_NAMES: Readonly<Record<string, string>> = {
  a: 'arrays',
  b: 'booleans',
  f: 'functions',
  n: 'numbers',
  o: 'objects',
  s: 'strings',
};

/** The one-letter type symbol jsonata uses for a value; `m` (missing) for undefined. */
export function typeSymbol(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'function':
      return 'f';
    case 'object':
      if (value === null) return 'l';
      if (isFunctionValue(value)) return 'f';
      return Array.isArray(value) ? 'a' : 'o';
    default:
      return 'm';
  }
}

function findClosingBracket(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  let position = start;
  while (position < text.length) {
    position++;
    const symbol = text.charAt(position);
    if (symbol === close) {
      depth--;
      if (depth === 0) break;
    } else if (symbol === open) {
      depth++;
    }
  }
  return position;
}

function parseParams(signature: string): SignatureParam[] {
  const params: SignatureParam[] = [];
  let param: SignatureParam = { regex: '', type: '' };
  let previous = param;
  const next = (): void => {
    params.push(param);
    previous = param;
    param = { regex: '', type: '' };
  };
  for (let position = 1; position < signature.length; position++) {
    const symbol = signature.charAt(position);
    if (symbol === ':') break; // the return type is not validated
    switch (symbol) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.regex = `[${symbol}m]`;
        param.type = symbol;
        next();
        break;
      case 'a':
        param.regex = '[asnblfom]';
        param.type = symbol;
        param.array = true;
        next();
        break;
      case 'f':
        param.regex = 'f';
        param.type = symbol;
        next();
        break;
      case 'j':
        param.regex = '[asnblom]';
        param.type = symbol;
        next();
        break;
      case 'x':
        param.regex = '[asnblfom]';
        param.type = symbol;
        next();
        break;
      case '-':
        previous.context = true;
        previous.contextRegex = new RegExp(previous.regex);
        previous.regex += '?';
        break;
      case '?':
      case '+':
        previous.regex += symbol;
        break;
      case '(': {
        const end = findClosingBracket(signature, position, '(', ')');
        const choice = signature.substring(position + 1, end);
        param.regex = `[${choice}m]`;
        param.type = `(${choice})`;
        position = end;
        next();
        break;
      }
      case '<': {
        const end = findClosingBracket(signature, position, '<', '>');
        previous.subtype = signature.substring(position + 1, end);
        position = end;
        break;
      }
    }
  }
  return params;
}

export function parseSignature(definition: string): Signature {
  const params = parseParams(definition);
  const regex = new RegExp(`^${params.map((p) => `(${p.regex})`).join('')}$`);

  const throwValidationError = (args: readonly unknown[], suppliedSig: string): never => {
    // Find the first parameter whose cumulative pattern stops matching (as jsonata reports it).
    let partialPattern = '^';
    let goodTo = 0;
    for (const param of params) {
      partialPattern += param.regex;
      const match = suppliedSig.match(partialPattern);
      if (match === null) break;
      goodTo = match[0].length;
    }
    throw new EvalFault('T0410', { value: args[goodTo], index: goodTo + 1 });
  };

  const coerceArrayArg = (param: SignatureParam, single: string, match: string, arg: unknown, index: number, env: Env): unknown => {
    if (single === 'm') return undefined;
    let arrayOK = true;
    if (param.subtype !== undefined) {
      if (single !== 'a' && match !== param.subtype) {
        arrayOK = false;
      } else if (single === 'a') {
        const items = arg as unknown[];
        if (items.length > 0) {
          tickMany(env, items.length);
          const itemType = typeSymbol(items[0]);
          arrayOK = itemType === param.subtype.charAt(0);
          for (let i = 1; arrayOK && i < items.length; i++) arrayOK = typeSymbol(items[i]) === itemType;
        }
      }
    }
    if (!arrayOK) {
      throw new EvalFault('T0412', { value: arg, index: index + 1, type: ARRAY_SUBTYPE_NAMES[param.subtype ?? ''] });
    }
    return single === 'a' ? arg : [arg];
  };

  return {
    definition,
    validate(args, context, env) {
      let suppliedSig = '';
      for (const arg of args) suppliedSig += typeSymbol(arg);
      const isValid = regex.exec(suppliedSig);
      if (isValid === null) return throwValidationError(args, suppliedSig);
      const validated: unknown[] = [];
      let argIndex = 0;
      params.forEach((param, index) => {
        const match = isValid[index + 1] ?? '';
        if (match === '') {
          if (param.context && param.contextRegex) {
            if (!param.contextRegex.test(typeSymbol(context))) {
              throw new EvalFault('T0411', { value: context, index: argIndex + 1 });
            }
            validated.push(context);
          } else {
            validated.push(args[argIndex]);
            argIndex++;
          }
          return;
        }
        // A parameter may match several arguments when its pattern ends with '+'.
        for (const single of match) {
          const arg = args[argIndex];
          validated.push(param.type === 'a' ? coerceArrayArg(param, single, match, arg, argIndex, env) : arg);
          argIndex++;
        }
      });
      return validated;
    },
  };
}
