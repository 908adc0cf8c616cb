import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { readSettings } from './config.js';
import { acknowledgeNagFindings, type Acknowledgement } from './nag-acknowledgements.js';
import { UdiSentinelStack, type UdiSentinelStackProps } from './stacks/udi-sentinel-stack.js';

export interface BuildOptions extends Omit<UdiSentinelStackProps, 'settings'> {
  /** App props (tests pass context, e.g. `aws:cdk:bundling-stacks: []`). */
  app?: AppProps;
  /** Register the cdk-nag packs as synth-time validation plugins (default true). */
  nag?: boolean;
}

/** The nag packs the app is held to: AWS Solutions and HIPAA Security. */
export const nagPacks = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks()];

/**
 * Build the udi-sentinel app: one stack, every acknowledgement applied, and (by default) the cdk-nag
 * packs registered so that synth fails on any unacknowledged finding.
 */
export function buildApp(options: BuildOptions = {}): { app: App; stack: UdiSentinelStack; acknowledgements: Acknowledgement[] } {
  const { app: appProps, nag = true, ...stackProps } = options;
  const app = new App(appProps);
  const settings = readSettings(app.node);
  const stack = new UdiSentinelStack(app, settings.stackName, {
    ...stackProps,
    settings,
    env: { region: settings.region },
    description: 'udi-sentinel: FDA device data mirror and authenticity-check API',
  });
  const acknowledgements = acknowledgeNagFindings(stack);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack, acknowledgements };
}
