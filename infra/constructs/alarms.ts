import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { INGEST_LAG_METRIC, datasetId, ingestLagDimensions } from '../ingest-plan.js';
import type { ServiceFunction } from './service-function.js';

export interface AlarmsProps {
  /** CMK of the topic; its key policy must admit cloudwatch.amazonaws.com. */
  key: IKey;
  email?: string;
}

/** Alarm kinds, used in alarm ids and in the runbook table of docs/deploy.md. */
export type AlarmKind = 'DlqDepth' | 'Errors' | 'Throttles' | 'Api5xxRate' | 'IngestLag' | 'BulkLoadFailed';

/**
 * Every alarm notifies one KMS-encrypted SNS topic (and recovers on OK). docs/deploy.md has the
 * runbook per alarm kind.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: { kind: AlarmKind; subject: string; alarm: IAlarm }[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'udi-sentinel alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Any message in a dead-letter queue is a lost event until someone looks. */
  deadLetterQueue(subject: string, queue: Queue): void {
    this.add('DlqDepth', subject, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), {
      threshold: 1,
      description: `${subject}: messages in the dead-letter queue (failed events awaiting inspection/redrive)`,
    });
  }

  /** Errors and throttles of one function. */
  fn(subject: string, fn: ServiceFunction): void {
    this.add('Errors', subject, fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      description: `${subject}: function errors (including timeouts)`,
    });
    this.add('Throttles', subject, fn.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      description: `${subject}: invocations throttled by reserved concurrency`,
    });
  }

  /** 5xx share of API requests above 5 % in two of three 5-minute periods (ignored below 20 requests). */
  api5xxRate(api: HttpApi): void {
    const period = Duration.minutes(5);
    const rate = new MathExpression({
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: api.metricServerError({ period, statistic: 'Sum' }),
        requests: api.metricCount({ period, statistic: 'Sum' }),
      },
      period,
      label: '5xx %',
    });
    this.add('Api5xxRate', 'api', rate, {
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: 'HTTP API: more than 5 % of requests answered 5xx',
    });
  }

  /**
   * Ingest lag (now − upstream last_updated) above twice the upstream cadence — or no lag reported at
   * all for a poll cadence plus one period (missing data breaches: a poller that stopped reporting is
   * lagging). Evaluation ranges stay within CloudWatch's 7-day maximum.
   */
  ingestLag(dataset: string, pollCadence: Duration, upstreamCadence: Duration): void {
    const poll = pollCadence.toSeconds();
    const periodSeconds = Math.min(poll, 86_400);
    const evaluationPeriods = Math.min(7, Math.ceil(poll / periodSeconds) + 1);
    const metric = new Metric({
      namespace: INGEST_LAG_METRIC.namespace,
      metricName: INGEST_LAG_METRIC.metricName,
      dimensionsMap: ingestLagDimensions(dataset),
      period: Duration.seconds(periodSeconds),
      statistic: 'Maximum',
    });
    this.add('IngestLag', datasetId(dataset), metric, {
      threshold: 2 * upstreamCadence.toSeconds(),
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      description:
        `${dataset}: data older than twice the upstream cadence (${upstreamCadence.toHumanString()}), ` +
        `or the poller (every ${pollCadence.toHumanString()}) stopped reporting`,
    });
  }

  bulkLoad(dataset: string, stateMachine: StateMachine): void {
    this.add('BulkLoadFailed', datasetId(dataset), stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      description: `${dataset}: a bulk-load execution failed (more partitions failed than tolerated, or it timed out)`,
    });
  }

  private add(
    kind: AlarmKind,
    subject: string,
    metric: Metric | MathExpression,
    options: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): void {
    const alarm = new Alarm(this, `${kind}-${subject}`, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.description}. Runbook: docs/deploy.md#alarms (${kind}).`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push({ kind, subject, alarm });
  }
}
