/** Small readers over a synthesized CloudFormation template, for the infra tests. */
import type { Template } from 'aws-cdk-lib/assertions';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Resource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, Json>;
  readonly raw: Record<string, Json>;
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Condition?: Json;
}

/** Every resource of `type`. */
export function resources(template: Template, type: string): Resource[] {
  return Object.entries(template.findResources(type) as Record<string, Record<string, Json>>).map(([logicalId, raw]) => ({
    logicalId,
    type,
    properties: (raw.Properties ?? {}) as Record<string, Json>,
    raw,
  }));
}

/**
 * Renders intrinsic functions to readable text: `{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`,
 * `Fn::Join` joined, pseudo parameters as `<AWS::Region>`.
 */
export function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('Ref' in value) return `<${String(value.Ref)}>`;
    if ('Fn::GetAtt' in value) return `<${(value['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, Json[]];
      return parts.map(render).join(separator);
    }
    if ('Fn::Sub' in value) return String(value['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/** `<X.Arn>` → `X`. */
export function logicalIdOfArn(rendered: string): string | undefined {
  return /^<([A-Za-z0-9]+)\.Arn>$/.exec(rendered)?.[1];
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every statement of the identity policies attached to the role `roleLogicalId`. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const inline = resources(template, 'AWS::IAM::Role')
    .filter((r) => r.logicalId === roleLogicalId)
    .flatMap((r) =>
      ((r.properties.Policies ?? []) as unknown as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    );
  const attached = resources(template, 'AWS::IAM::Policy')
    .filter((p) => ((p.properties.Roles ?? []) as Json[]).some((role) => render(role) === `<${roleLogicalId}>`))
    .flatMap((p) => (p.properties.PolicyDocument as unknown as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

/** The roles whose policies allow `action` (exact action name), with the rendered resources of those statements. */
export function rolesAllowing(template: Template, action: string): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const policy of resources(template, 'AWS::IAM::Policy')) {
    const statements = (policy.properties.PolicyDocument as unknown as { Statement: Statement[] }).Statement;
    for (const statement of statements) {
      if (statement.Effect !== 'Allow' || !asArray(statement.Action).includes(action)) continue;
      for (const role of (policy.properties.Roles ?? []) as Json[]) {
        const id = render(role).slice(1, -1);
        roles.set(id, [...(roles.get(id) ?? []), ...asArray(statement.Resource as Json).map(render)].sort());
      }
    }
  }
  return roles;
}
