import { Duration, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { ServiceFunction, type FunctionDefaults } from './service-function.js';

export interface ScheduledPollerProps {
  /** Dataset name; sent to the handler as `{ "dataset": … }` and used in alarm names. */
  dataset: string;
  /** Handler module (repo-relative or absolute) exporting `handler`. */
  entry: string;
  /** Poll cadence. */
  every: Duration;
  timeout: Duration;
  memorySize: number;
  defaults: FunctionDefaults;
  /** Scheduler → Lambda delivery retries (default 3). */
  deliveryRetryAttempts?: number;
  /** Function retries of a failed asynchronous invocation (0–2, default 2). */
  asyncRetryAttempts?: number;
}

/**
 * One upstream poller: EventBridge Scheduler fires at a cadence (flexible window) and invokes the
 * function asynchronously. Delivery failures: Scheduler retries, then its own KMS-encrypted DLQ.
 * Function failures (errors, timeouts): Lambda retries (configureAsyncInvoke), then the function's DLQ.
 * Reserved concurrency 1: two runs of one poller never overlap (its lease makes that safe anyway).
 */
export class ScheduledPoller extends Construct {
  readonly dataset: string;
  readonly every: Duration;
  readonly fn: ServiceFunction;
  readonly schedule: Schedule;
  readonly schedulerRole: Role;
  readonly schedulerPolicy: ManagedPolicy;
  readonly schedulerDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledPollerProps) {
    super(scope, id);
    this.dataset = props.dataset;
    this.every = props.every;
    const cadence = props.every.toSeconds();
    if (cadence < 60) throw new Error(`${props.dataset}: poll cadence must be at least one minute`);
    if (props.timeout.toSeconds() >= cadence) throw new Error(`${props.dataset}: the timeout must be shorter than the cadence`);

    this.fn = new ServiceFunction(this, 'Poller', {
      entry: props.entry,
      description: `Poll ${props.dataset} every ${props.every.toHumanString()}`,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrency: 1,
      defaults: props.defaults,
    });
    // A late retry of a run is worthless once the next run is due: bound it by half a cadence (Lambda max 6 h).
    this.fn.configureAsyncInvoke({
      retryAttempts: props.asyncRetryAttempts ?? 2,
      maxEventAge: Duration.seconds(Math.min(cadence / 2, 6 * 3_600)),
    });

    this.schedulerDeadLetterQueue = new Queue(this, 'SchedulerDlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.defaults.messagingKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // The Scheduler role's whole permission set, spelled out in one customer-managed policy: invoke this
    // function (unqualified ARN only, no `:*`), send to the DLQ, and use the DLQ's key.
    const stack = Stack.of(this);
    this.schedulerPolicy = new ManagedPolicy(this, 'SchedulerPolicy', {
      description: `EventBridge Scheduler: invoke the ${props.dataset} poller`,
      statements: [
        new PolicyStatement({ sid: 'InvokePoller', actions: ['lambda:InvokeFunction'], resources: [this.fn.function.functionArn] }),
        new PolicyStatement({ sid: 'SchedulerDlq', actions: ['sqs:SendMessage'], resources: [this.schedulerDeadLetterQueue.queueArn] }),
        new PolicyStatement({
          sid: 'SchedulerDlqKey',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.defaults.messagingKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler: invoke the ${props.dataset} poller`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      managedPolicies: [this.schedulerPolicy],
    });

    this.schedule = new Schedule(this, 'Schedule', {
      description: `udi-sentinel: poll ${props.dataset}`,
      schedule: ScheduleExpression.rate(props.every),
      // Spread runs (Scheduler docs: a flexible window improves reliability): 1/6 of the cadence, ≤ 4 h.
      timeWindow: TimeWindow.flexible(Duration.minutes(Math.max(1, Math.min(240, Math.floor(cadence / 60 / 6))))),
      target: new LambdaInvoke(this.fn.function, {
        // Immutable view: LambdaInvoke's own grants (invoke `fn` and `fn:*`, sqs:SendMessage) are already
        // in the policy above and must not land in an inline policy.
        role: this.schedulerRole.withoutPolicyUpdates(),
        input: ScheduleTargetInput.fromObject({ dataset: props.dataset, trigger: 'schedule' }),
        deadLetterQueue: this.schedulerDeadLetterQueue,
        retryAttempts: props.deliveryRetryAttempts ?? 3,
        maxEventAge: Duration.seconds(Math.max(60, Math.min(cadence / 2, 86_400))),
      }),
    });
  }

  get deadLetterQueues(): Queue[] {
    return [this.fn.deadLetterQueue, this.schedulerDeadLetterQueue];
  }
}
