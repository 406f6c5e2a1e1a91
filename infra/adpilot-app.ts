/** Builds the CDK app: one ClientStack per client definition, checked by cdk-nag's AWS Solutions pack. */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClientStack, stackName } from './client-stack.ts';
import type { ClientDefinition } from './clients.ts';
import { NagAcknowledgements } from './nag.ts';

export interface AdPilotAppProps {
  /** The folder holding package-lock.json, functions/, lib/ and statemachines/. */
  readonly projectRoot: string;
  readonly clients: readonly ClientDefinition[];
  /**
   * Props of the App (context, outdir); under the CDK CLI the context comes from cdk.json.
   * @default - the CLI's settings
   */
  readonly appProps?: AppProps;
  /**
   * Where the stacks' cdk-nag acknowledgements are made and recorded.
   * @default - a NagAcknowledgements applying them at once
   */
  readonly nag?: NagAcknowledgements;
}

export interface AdPilotApp {
  readonly app: App;
  readonly stacks: readonly ClientStack[];
  readonly nag: NagAcknowledgements;
}

/** Creates the app and its stacks; synthesis fails on any error or unacknowledged warning of the AwsSolutions pack. */
export function createAdPilotApp(props: AdPilotAppProps): AdPilotApp {
  const app = new App(props.appProps);
  const nag = props.nag ?? new NagAcknowledgements();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = props.clients.map(
    (definition) => new ClientStack(app, stackName(definition.config.client), { definition, projectRoot: props.projectRoot, nag }),
  );
  return { app, stacks, nag };
}
