/**
 * EventBridge event pattern matching, for the local bus: the same RULES patterns that CDK puts on
 * the EventBridge rules decide locally which subscribers get an event.
 *
 * Semantics (as EventBridge): every field named in the pattern must match (AND); a leaf is a list
 * of matchers of which one must match (OR); a pattern object descends into the event object of the
 * same name; when the event value is an array, the field matches if any element matches. Leaf
 * matchers: exact values (type-sensitive: "5" ≠ 5), `prefix`, `suffix`, `anything-but` (a value,
 * a list, or `{ prefix }` / `{ suffix }`; like EventBridge it never matches a missing field) and
 * `exists`. Any other operator throws rather than silently deciding.
 */
import type { EventPattern } from '../events/rules.ts';

/** The pattern uses an operator this matcher does not implement. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

/** The envelope fields a pattern usually looks at (other envelope fields may be present and matched too). */
export interface MatchableEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

/** Any EventBridge pattern, nested objects included (RULES' EventPattern is the subset adpilot deploys). */
export type NestedPattern = { readonly [field: string]: readonly unknown[] | NestedPattern };

type Scalar = string | number | boolean | null;

/** Whether an event matches an EventBridge event pattern. */
export function matchesPattern(pattern: EventPattern | NestedPattern, event: MatchableEvent): boolean {
  return matchObject(pattern, event as unknown as Record<string, unknown>);
}

function matchObject(pattern: object, value: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, sub]) => matchField(sub, Object.hasOwn(value, key) ? value[key] : undefined));
}

function matchField(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return matchLeaf(pattern, value);
  if (isRecord(pattern)) {
    if (Array.isArray(value)) return value.some((item) => isRecord(item) && matchObject(pattern, item));
    return isRecord(value) && matchObject(pattern, value);
  }
  throw new UnsupportedPatternError(`pattern values must be arrays or objects, got ${JSON.stringify(pattern)}`);
}

function matchLeaf(matchers: readonly unknown[], value: unknown): boolean {
  const present = value !== undefined;
  // An array in the event matches when any of its (scalar) elements does.
  const values = (Array.isArray(value) ? value : present ? [value] : []).filter(isScalar);
  return matchers.some((matcher) => matchOne(matcher, values, present));
}

function matchOne(matcher: unknown, values: readonly Scalar[], present: boolean): boolean {
  if (isScalar(matcher)) return values.some((v) => v === matcher);
  if (!isRecord(matcher)) throw new UnsupportedPatternError(`unsupported matcher ${JSON.stringify(matcher)}`);
  const [operator, ...rest] = Object.keys(matcher);
  if (operator === undefined || rest.length > 0)
    throw new UnsupportedPatternError(`a matcher has exactly one operator: ${JSON.stringify(matcher)}`);
  const operand = matcher[operator];
  switch (operator) {
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(stringOperand(operator, operand)));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(stringOperand(operator, operand)));
    case 'exists':
      if (typeof operand !== 'boolean') throw new UnsupportedPatternError('exists takes true or false');
      return operand === present;
    case 'anything-but':
      return values.some((v) => !excludedBy(operand, v));
    default:
      throw new UnsupportedPatternError(`unsupported operator ${operator}`);
  }
}

/** Whether `value` is one of the things an `anything-but` operand excludes. */
function excludedBy(operand: unknown, value: Scalar): boolean {
  if (isScalar(operand)) return value === operand;
  if (Array.isArray(operand)) {
    if (!operand.every(isScalar)) throw new UnsupportedPatternError('anything-but lists hold plain values only');
    return operand.includes(value);
  }
  if (isRecord(operand)) {
    const [operator, ...rest] = Object.keys(operand);
    const text = operator === undefined ? undefined : operand[operator];
    if (rest.length === 0 && typeof text === 'string') {
      if (operator === 'prefix') return typeof value === 'string' && value.startsWith(text);
      if (operator === 'suffix') return typeof value === 'string' && value.endsWith(text);
    }
  }
  throw new UnsupportedPatternError(`unsupported anything-but operand ${JSON.stringify(operand)}`);
}

function stringOperand(operator: string, operand: unknown): string {
  if (typeof operand !== 'string') throw new UnsupportedPatternError(`${operator} takes a string`);
  return operand;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
