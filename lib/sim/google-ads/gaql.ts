/**
 * A GAQL parser for the fake Google Ads API: `SELECT fields FROM resource [WHERE cond AND …]
 * [ORDER BY field [ASC|DESC], …] [LIMIT n] [PARAMETERS name = value]`, with the operators
 * = != < <= > >= IN, NOT IN, BETWEEN … AND …, DURING. Errors name the QueryError a real server returns.
 */
import { GaqlError } from './errors.ts';

export type GaqlLiteral =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: string }
  /** A bare word: an enum constant, TRUE/FALSE, or a DURING range (LAST_7_DAYS). */
  | { readonly kind: 'word'; readonly value: string };

export type GaqlComparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type GaqlCondition =
  | { readonly field: string; readonly op: GaqlComparison; readonly value: GaqlLiteral }
  | { readonly field: string; readonly op: 'IN' | 'NOT IN'; readonly values: readonly GaqlLiteral[] }
  | { readonly field: string; readonly op: 'BETWEEN'; readonly low: GaqlLiteral; readonly high: GaqlLiteral }
  | { readonly field: string; readonly op: 'DURING'; readonly range: string };

export interface GaqlOrder {
  readonly field: string;
  readonly descending: boolean;
}

export interface GaqlQuery {
  readonly select: readonly string[];
  readonly from: string;
  readonly where: readonly GaqlCondition[];
  readonly orderBy: readonly GaqlOrder[];
  readonly limit: number | undefined;
  readonly parameters: Readonly<Record<string, string>>;
}

type Token =
  | { readonly type: 'word'; readonly text: string }
  | { readonly type: 'string'; readonly text: string }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'symbol'; readonly text: string };

const SYMBOLS = ['!=', '>=', '<=', '=', '<', '>', ',', '(', ')'];

/** Splits a query into tokens; strings are single- or double-quoted with backslash escapes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\') {
          const next = text[j + 1];
          if (next === undefined || !['\\', "'", '"'].includes(next))
            throw new GaqlError('BAD_ESCAPE_SEQUENCE', `Invalid escape sequence at position ${j}.`);
          value += next;
          j++;
        } else value += text[j];
      }
      if (j >= text.length) throw new GaqlError('STRING_NOT_TERMINATED', `Unterminated string starting at position ${i}.`);
      tokens.push({ type: 'string', text: value });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
    if (number && (c !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ type: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (!symbol) throw new GaqlError('BAD_SYMBOL', `Unexpected symbol '${c}' at position ${i}.`);
    tokens.push({ type: 'symbol', text: symbol });
    i += symbol.length;
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position++;
    return token;
  }

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  /** True (and consumes it) when the next token is the keyword. */
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.type === 'word' && token.text.toUpperCase() === word) {
      this.position++;
      return true;
    }
    return false;
  }

  symbol(text: string): boolean {
    const token = this.peek();
    if (token?.type === 'symbol' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  field(context: string): string {
    const token = this.next();
    if (token?.type !== 'word' || !token.text.includes('.')) {
      throw new GaqlError('BAD_FIELD_NAME', `Error in ${context}: invalid field name '${token?.text ?? ''}'.`);
    }
    return token.text.toLowerCase();
  }

  literal(): GaqlLiteral {
    const token = this.next();
    if (!token) throw new GaqlError('UNEXPECTED_END_OF_QUERY', 'Unexpected end of query: expected a value.');
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: token.text };
    if (token.type === 'word') return { kind: 'word', value: token.text.toUpperCase() };
    throw new GaqlError('BAD_VALUE', `Expected a value, got '${token.text}'.`);
  }

  list(): GaqlLiteral[] {
    if (!this.symbol('(')) throw new GaqlError('EXPECTED_LIST', 'The operator requires a list of values in parentheses.');
    if (this.symbol(')')) throw new GaqlError('PROHIBITED_EMPTY_LIST_IN_CONDITION', 'A condition was found with an empty list.');
    const values = [this.literal()];
    while (this.symbol(',')) values.push(this.literal());
    if (!this.symbol(')')) throw new GaqlError('EXPECTED_LIST', 'A list of values must end with a closing parenthesis.');
    return values;
  }
}

const CLAUSE_WORDS = new Set(['WHERE', 'ORDER', 'LIMIT', 'PARAMETERS']);

function condition(p: Parser): GaqlCondition {
  const field = p.field('WHERE clause');
  const token = p.next();
  if (token?.type === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
    return { field, op: token.text as GaqlComparison, value: p.literal() };
  }
  const word = token?.type === 'word' ? token.text.toUpperCase() : '';
  if (word === 'IN') return { field, op: 'IN', values: p.list() };
  if (word === 'NOT' && p.keyword('IN')) return { field, op: 'NOT IN', values: p.list() };
  if (word === 'BETWEEN') {
    const low = p.literal();
    if (!p.keyword('AND')) throw new GaqlError('EXPECTED_AND', 'Expected AND between values with BETWEEN operator.');
    return { field, op: 'BETWEEN', low, high: p.literal() };
  }
  if (word === 'DURING') {
    const range = p.next();
    if (range?.type !== 'word')
      throw new GaqlError('INVALID_VALUE_WITH_DURING_OPERATOR', 'DURING needs a date range constant such as LAST_7_DAYS.');
    return { field, op: 'DURING', range: range.text.toUpperCase() };
  }
  throw new GaqlError('BAD_OPERATOR', `Invalid operator '${token?.text ?? ''}' in WHERE clause.`);
}

/** Parses one GAQL query. Field and resource names are returned lower-case, keywords are case-insensitive. */
export function parseGaql(text: string): GaqlQuery {
  const p = new Parser(tokenize(text));
  if (!p.keyword('SELECT')) throw new GaqlError('EXPECTED_SELECT', 'SELECT is missing at the beginning of query.');
  const select = [p.field('SELECT clause')];
  while (p.symbol(',')) select.push(p.field('SELECT clause'));
  if (!p.keyword('FROM')) throw new GaqlError('EXPECTED_FROM', 'Missing FROM clause.');
  const resource = p.next();
  if (resource?.type !== 'word' || resource.text.includes('.') || CLAUSE_WORDS.has(resource.text.toUpperCase())) {
    throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Invalid resource type '${resource?.text ?? ''}' in FROM clause.`);
  }
  const where: GaqlCondition[] = [];
  if (p.keyword('WHERE')) {
    where.push(condition(p));
    while (p.keyword('AND')) where.push(condition(p));
  }
  const orderBy: GaqlOrder[] = [];
  if (p.keyword('ORDER')) {
    if (!p.keyword('BY')) throw new GaqlError('EXPECTED_BY', 'Expecting ORDER BY to have BY.');
    do {
      const field = p.field('ORDER BY clause');
      const descending = p.keyword('DESC');
      if (!descending) p.keyword('ASC');
      orderBy.push({ field, descending });
    } while (p.symbol(','));
  }
  let limit: number | undefined;
  if (p.keyword('LIMIT')) {
    const token = p.next();
    if (token?.type !== 'number' || !/^\d+$/.test(token.text) || Number(token.text) < 1) {
      throw new GaqlError('BAD_LIMIT_VALUE', `Limit value is invalid: '${token?.text ?? ''}'.`);
    }
    limit = Number(token.text);
  }
  const parameters: Record<string, string> = {};
  if (p.keyword('PARAMETERS')) {
    do {
      const name = p.next();
      if (name?.type !== 'word' || !p.symbol('=')) throw new GaqlError('BAD_PARAMETER_NAME', 'Expected PARAMETERS name = value.');
      const value = p.next();
      if (!value || value.type === 'symbol') throw new GaqlError('BAD_PARAMETER_VALUE', `Parameter ${name.text} needs a value.`);
      parameters[name.text.toLowerCase()] = value.text;
    } while (p.symbol(','));
  }
  if (!p.atEnd()) throw new GaqlError('UNEXPECTED_INPUT', `Unexpected input '${p.peek()?.text ?? ''}' at the end of the query.`);
  return { select, from: resource.text.toLowerCase(), where, orderBy, limit, parameters };
}
