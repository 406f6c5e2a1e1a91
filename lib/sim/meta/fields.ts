/**
 * How the fake Graph API's routes read a request: scalar parameters, the `fields` parameter, the picking of a
 * node's requested fields (with `name{sub}` expansion), and the invalid-parameter error (code 100) they raise.
 */
import { GraphApiError } from '../errors.ts';
import type { GraphRequest } from './api.ts';
import { type FieldSpec, parseFields } from './wire.ts';

/** Graph's invalid-parameter error (code 100), with an optional user-facing message. */
export const invalidParam = (message: string, userMessage?: string) =>
  new GraphApiError(400, 100, `(#100) ${message}`, userMessage === undefined ? {} : { userMessage });

/** A parameter as a string (numbers and booleans as written, anything else as JSON); undefined when absent. */
export function stringParam(params: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The request's `fields` parameter, parsed; a syntax error is Graph's invalid-parameter error. */
export function requestFields(request: GraphRequest): FieldSpec[] {
  try {
    return parseFields(stringParam(request.params, 'fields'));
  } catch (error) {
    throw invalidParam(`Syntax error in fields: ${error instanceof Error ? error.message : 'unparsable'}`);
  }
}

/** Picks the requested fields of a node, in request order; `id` always comes along, as in Graph. */
export function pick(
  all: Record<string, unknown>,
  fields: readonly FieldSpec[],
  nodeType: string,
  always: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.name in all)) throw invalidParam(`Tried accessing nonexisting field (${field.name}) on node type (${nodeType})`);
    const value = all[field.name];
    if (value === undefined) continue;
    out[field.name] = field.sub.length > 0 && typeof value === 'object' && value !== null ? pickSub(value, field) : value;
  }
  for (const key of always) if (all[key] !== undefined && !(key in out)) out[key] = all[key];
  return out;
}

function pickSub(value: object, field: FieldSpec): Record<string, unknown> {
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of field.sub) {
    if (!(name in record)) throw invalidParam(`Tried accessing nonexisting field (${name}) on node type (${field.name})`);
    out[name] = record[name];
  }
  if (!('id' in out) && 'id' in record) out.id = record.id;
  return out;
}
