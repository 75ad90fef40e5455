import { AlgoTradingError } from '@algo-trading/core';

/**
 * Constraints between parameters, such as `fast < slow` or `slow >= 2 * fast`: a small expression
 * language, parsed once and evaluated per combination without `eval`.
 *
 * Grammar: comparisons (`<`, `<=`, `>`, `>=`, `==`, `!=`, chainable: `5 <= fast < slow`) over
 * arithmetic (`+`, `-`, `*`, `/`, `%`, unary `-`, parentheses) on parameter names, numbers and
 * quoted strings, joined with `and` / `or` (`and` binds tighter) and negated with `not`.
 */

/** A parameter value: a number, a string or a boolean. */
export type ParamValue = number | string | boolean;

/** A parsed constraint. */
export interface Constraint {
  /** The text as written. */
  readonly text: string;
  /** The parameter names it reads. */
  readonly parameters: readonly string[];
  /** True when the combination satisfies the constraint. */
  test(params: Readonly<Record<string, ParamValue>>): boolean;
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

type Evaluate = (params: Readonly<Record<string, ParamValue>>) => ParamValue;

const OPERATORS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '%', '(', ')'];
const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

function fail(field: string, text: string, message: string): never {
  throw new AlgoTradingError('INVALID_CONFIG', `${field}: ${message} in ${JSON.stringify(text)}`, {
    details: { field, value: text },
  });
}

function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name !== null) {
      tokens.push({ kind: 'name', value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail(field, text, `unterminated string at position ${i + 1}`);
      tokens.push({ kind: 'string', value: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) fail(field, text, `unexpected character ${JSON.stringify(c)} at position ${i + 1}`);
    tokens.push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  return tokens;
}

function asNumber(value: ParamValue): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function compare(op: string, a: ParamValue, b: ParamValue): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * Parses a constraint over the given parameter names.
 *
 * @param field where the constraint is written, for messages (e.g. `constraints[0]`).
 * @throws AlgoTradingError `INVALID_CONFIG` naming the field for a syntax error or a name that is
 *   not a parameter.
 * @example
 * const c = parseConstraint('fast < slow', ['fast', 'slow'], 'constraints[0]');
 * c.test({ fast: 10, slow: 50 }); // true
 */
export function parseConstraint(text: string, parameterNames: readonly string[], field: string): Constraint {
  if (typeof text !== 'string' || text.trim() === '') fail(field, String(text), 'expected an expression such as "fast < slow"');
  const tokens = tokenize(text, field);
  const known = new Set(parameterNames);
  const used = new Set<string>();
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === value;
  };
  const isWord = (value: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'name' && t.value === value;
  };
  const where = (): string => {
    const t = peek();
    return t === undefined ? 'at the end' : `at position ${t.at + 1}`;
  };

  function primary(): Evaluate {
    const t = peek();
    if (t === undefined) fail(field, text, 'expression ends too early');
    pos++;
    if (t.kind === 'number' || t.kind === 'string') {
      const value = t.value;
      return () => value;
    }
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') {
        const value = t.value === 'true';
        return () => value;
      }
      if (!known.has(t.value)) {
        fail(field, text, `unknown parameter ${JSON.stringify(t.value)} (parameters: ${parameterNames.join(', ')})`);
      }
      used.add(t.value);
      const name = t.value;
      return (params) => params[name] as ParamValue;
    }
    if (t.value === '(') {
      const inner = sum();
      if (!isOp(')')) fail(field, text, `expected ")" ${where()}`);
      pos++;
      return inner;
    }
    if (t.value === '-') {
      const operand = primary();
      return (params) => -asNumber(operand(params));
    }
    fail(field, text, `unexpected ${JSON.stringify(t.value)} at position ${t.at + 1}`);
  }

  function product(): Evaluate {
    let left = primary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (peek() as Token).value as string;
      pos++;
      const a = left;
      const b = primary();
      left =
        op === '*'
          ? (p) => asNumber(a(p)) * asNumber(b(p))
          : op === '/'
            ? (p) => asNumber(a(p)) / asNumber(b(p))
            : (p) => asNumber(a(p)) % asNumber(b(p));
    }
    return left;
  }

  function sum(): Evaluate {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as Token).value as string;
      pos++;
      const a = left;
      const b = product();
      left = op === '+' ? (p) => asNumber(a(p)) + asNumber(b(p)) : (p) => asNumber(a(p)) - asNumber(b(p));
    }
    return left;
  }

  function comparison(): (params: Readonly<Record<string, ParamValue>>) => boolean {
    if (isWord('not')) {
      pos++;
      const inner = comparison();
      return (p) => !inner(p);
    }
    if (isOp('(')) {
      // A parenthesised condition, e.g. (fast < slow or fast == 1): try it as a condition first.
      const start = pos;
      pos++;
      try {
        const inner = disjunction();
        if (isOp(')')) {
          pos++;
          if (peek() === undefined || isWord('and') || isWord('or') || isOp(')')) return inner;
        }
      } catch {
        // Not a condition: an arithmetic group such as (fast + 1) < slow.
      }
      pos = start;
    }
    const operands: Evaluate[] = [sum()];
    const operators: string[] = [];
    while (peek()?.kind === 'op' && COMPARISONS.has((peek() as Token).value as string)) {
      operators.push((peek() as Token).value as string);
      pos++;
      operands.push(sum());
    }
    if (operators.length === 0) fail(field, text, 'expected a comparison (<, <=, >, >=, ==, !=)');
    return (p) => {
      for (let k = 0; k < operators.length; k++) {
        if (!compare(operators[k]!, operands[k]!(p), operands[k + 1]!(p))) return false;
      }
      return true;
    };
  }

  function conjunction(): (params: Readonly<Record<string, ParamValue>>) => boolean {
    const parts = [comparison()];
    while (isWord('and')) {
      pos++;
      parts.push(comparison());
    }
    return parts.length === 1 ? parts[0]! : (p) => parts.every((part) => part(p));
  }

  function disjunction(): (params: Readonly<Record<string, ParamValue>>) => boolean {
    const parts = [conjunction()];
    while (isWord('or')) {
      pos++;
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0]! : (p) => parts.some((part) => part(p));
  }

  const test = disjunction();
  if (pos < tokens.length) fail(field, text, `unexpected ${JSON.stringify((peek() as Token).value)} at position ${(peek() as Token).at + 1}`);
  return { text, parameters: [...used], test };
}
