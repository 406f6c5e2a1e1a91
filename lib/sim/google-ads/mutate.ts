/**
 * The shape every `…:mutate` request of the fake Google Ads API shares (../shared/PLATFORM_APIS.md §2): a list of
 * update operations, each with an `updateMask` and a `resourceName`, run all-or-nothing unless `partialFailure`,
 * and checked but not applied with `validateOnly`. The resource-specific checks and writes (campaign budgets,
 * campaign status) plug in through a MutateResource.
 */
import type { AdAccount } from '../../model/ads.ts';
import { GoogleAdsApiError } from './errors.ts';
import { badJsonPayload, errorBody, invalidArgument, isRecord } from './wire.ts';

/** A mutate request: its body and what the answer needs. */
export interface MutateCall {
  readonly customerId: string;
  readonly apiVersion: string;
  readonly requestId: string;
  readonly body: Record<string, unknown>;
}

/** An update operation that passed the shared checks. */
export interface UpdateOperation {
  readonly index: number;
  readonly update: Record<string, unknown>;
  /** The resource id of `resourceName` (`customers/{customer}/<collection>/{id}`). */
  readonly id: string;
  /** `location.fieldPathElements` of a field of this operation's `update`, for error answers. */
  readonly at: (field: string) => { readonly fieldName: string; readonly index?: number }[];
}

/** One resource that can be mutated: what its update masks may name and how one operation is checked and applied. */
export interface MutateResource<Plan> {
  /** The collection in resource names and the method: `campaignBudgets`, `campaigns`. */
  readonly collection: string;
  /** The id part of a resource name as a regex source (default digits; ad group ads: `\\d+~\\d+`). */
  readonly idPattern?: string;
  /** Every field an update mask may name for this resource. */
  readonly fields: ReadonlySet<string>;
  /** The fields the fake updates; a mask naming another known field is refused with MUTATE_NOT_ALLOWED. */
  readonly writable: ReadonlySet<string>;
  /** Checks one operation against the current state; throws GoogleAdsApiError when Google would refuse it. */
  check(account: AdAccount, operation: UpdateOperation): Plan;
  /** Applies a checked operation; returns the resource name of the result. */
  apply(plan: Plan): string;
}

/** Answers a `<collection>:mutate` request with `{results}` (and `partialFailureError` when partialFailure let some fail). */
export function runMutate<Plan>(resource: MutateResource<Plan>, account: AdAccount, call: MutateCall): Record<string, unknown> {
  const { body } = call;
  const operations = body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidArgument({ errorCode: { requestError: 'OPERATION_REQUIRED' }, message: 'At least one operation is required.' });
  }
  const partial = body.partialFailure === true;
  const planned: (Plan | GoogleAdsApiError)[] = operations.map((op, index) => {
    try {
      return resource.check(account, updateOperation(resource, call.customerId, op, index));
    } catch (error) {
      if (error instanceof GoogleAdsApiError && partial && error.errors.length > 0) return error;
      throw error;
    }
  });
  if (body.validateOnly === true) return {};
  const failures = planned.filter((p): p is GoogleAdsApiError => p instanceof GoogleAdsApiError);
  const results = planned.map((p) => (p instanceof GoogleAdsApiError ? {} : { resourceName: resource.apply(p) }));
  if (failures.length === 0) return { results };
  const errors = failures.flatMap((f) => f.errors);
  const first = failures[0];
  const detail = errorBody(new GoogleAdsApiError(400, 'INVALID_ARGUMENT', '', errors), call.apiVersion, call.requestId).error.details;
  return {
    results,
    partialFailureError: {
      code: 3,
      message:
        failures.length > 1
          ? `Multiple errors in ‘details’. First error: ${first?.errors[0]?.message ?? ''}`
          : (first?.errors[0]?.message ?? ''),
      details: detail,
    },
  };
}

/** The checks every update operation goes through: update only, a field mask naming writable fields, a well-formed resource name of this customer. */
function updateOperation<Plan>(resource: MutateResource<Plan>, customerId: string, op: unknown, index: number): UpdateOperation {
  const at = (...more: { fieldName: string; index?: number }[]) => [{ fieldName: 'operations', index }, ...more];
  if (!isRecord(op)) throw badJsonPayload(`operations[${index}] must be an object.`, `operations[${index}]`);
  if (op.create !== undefined || op.remove !== undefined || op.update === undefined) {
    throw invalidArgument({
      errorCode: { mutateError: 'MUTATE_NOT_ALLOWED' },
      message: `The fake Google Ads API updates ${resource.collection} (${[...resource.writable].join(', ')}) only.`,
      location: at(),
    });
  }
  const update = op.update;
  if (!isRecord(update)) throw badJsonPayload(`operations[${index}].update must be an object.`, `operations[${index}].update`);
  if (typeof op.updateMask !== 'string' || op.updateMask.trim() === '') {
    throw invalidArgument({
      errorCode: { fieldMaskError: 'FIELD_MASK_MISSING' },
      message: 'The field mask must be set for an update.',
      location: at({ fieldName: 'update_mask' }),
    });
  }
  for (const field of op.updateMask.split(',').map((f) => f.trim())) {
    if (!resource.fields.has(field)) {
      throw invalidArgument({
        errorCode: { fieldMaskError: 'FIELD_NOT_FOUND' },
        message: `The field mask names an unknown field: ${field}.`,
        location: at({ fieldName: 'update_mask' }),
      });
    }
    if (!resource.writable.has(field)) {
      throw invalidArgument({
        errorCode: { mutateError: 'MUTATE_NOT_ALLOWED' },
        message: `The fake Google Ads API updates ${[...resource.writable].join(', ')} only, not ${field}.`,
        location: at({ fieldName: 'update_mask' }),
      });
    }
  }
  const resourceName = update.resourceName;
  const nameAt = at({ fieldName: 'update' }, { fieldName: 'resource_name' });
  if (typeof resourceName !== 'string' || resourceName === '') {
    throw invalidArgument({ errorCode: { requestError: 'RESOURCE_NAME_MISSING' }, message: 'Resource name is missing.', location: nameAt });
  }
  const m = new RegExp(`^customers/(\\d+)/${resource.collection}/(${resource.idPattern ?? '\\d+'})$`).exec(resourceName);
  if (!m?.[2]) {
    throw invalidArgument({
      errorCode: { requestError: 'RESOURCE_NAME_MALFORMED' },
      message: 'Resource name is malformed.',
      location: nameAt,
    });
  }
  if (m[1] !== customerId) throw resourceNotFound(nameAt);
  return { index, update, id: m[2], at: (field) => at({ fieldName: 'update' }, { fieldName: field }) };
}

/** 400 RESOURCE_NOT_FOUND at `location`. */
export function resourceNotFound(location: readonly { readonly fieldName: string; readonly index?: number }[]): GoogleAdsApiError {
  return invalidArgument({ errorCode: { mutateError: 'RESOURCE_NOT_FOUND' }, message: 'The requested resource was not found.', location });
}

/**
 * The status an update of a campaign or an ad group ad writes: ENABLED or PAUSED. Refused as Google does: a value
 * outside the enum (`enumType`, e.g. "CampaignStatusEnum.CampaignStatus"), any change of a removed resource, and
 * REMOVED by update (reached with a `remove` operation; [U] the exact error).
 */
export function statusUpdate(
  operation: UpdateOperation,
  options: { readonly currentStatus: string; readonly enumType: string; readonly noun: string; readonly apiVersion: string },
): 'ENABLED' | 'PAUSED' {
  const raw = operation.update.status;
  const field = `operations[${operation.index}].update.status`;
  if (raw !== 'ENABLED' && raw !== 'PAUSED' && raw !== 'REMOVED') {
    throw badJsonPayload(
      `Invalid value at '${field}' (type.googleapis.com/google.ads.googleads.${options.apiVersion}.enums.${options.enumType}), ${JSON.stringify(raw ?? null)}`,
      field,
    );
  }
  if (options.currentStatus === 'REMOVED') {
    throw invalidArgument({
      errorCode: { contextError: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE' },
      message: 'The operation is not allowed for removed resources.',
      location: operation.at('resource_name'),
    });
  }
  if (raw === 'REMOVED') {
    throw invalidArgument({
      errorCode: { mutateError: 'MUTATE_NOT_ALLOWED' },
      message: `${options.noun} is removed with a remove operation, not by updating its status.`,
      location: operation.at('status'),
    });
  }
  return raw;
}
