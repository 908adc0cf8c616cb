import { Duration } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, DistributedMap, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ServiceFunction, type FunctionDefaults } from './service-function.js';

export interface BulkLoadProps {
  dataset: string;
  /** Handler that loads ONE manifest partition per invocation (repo-relative or absolute). */
  entry: string;
  timeout: Duration;
  memorySize: number;
  /** Partitions loaded at once; also the function's reserved concurrency. */
  concurrency: number;
  defaults: FunctionDefaults;
  /** Share of partitions allowed to fail before the run fails (default 5 %); failed ones can be re-run. */
  toleratedFailurePercentage?: number;
}

/**
 * Full (re)load of a dataset: a Step Functions Distributed Map over the partitions of a manifest,
 * one partition per Lambda invocation.
 *
 * Execution input: `{ "runId": "2025-06-01", "partitions": [ { …one manifest entry… }, … ] }`.
 * Each invocation receives `{ dataset, runId, index, partition }`. Lambda throttles and service errors
 * are retried with backoff; a failing partition fails its item only, and the run fails once more than
 * `toleratedFailurePercentage` of the items have failed.
 */
export class BulkLoad extends Construct {
  readonly dataset: string;
  readonly fn: ServiceFunction;
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BulkLoadProps) {
    super(scope, id);
    this.dataset = props.dataset;
    this.fn = new ServiceFunction(this, 'PartitionLoader', {
      entry: props.entry,
      description: `Bulk-load one ${props.dataset} partition`,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrency: props.concurrency,
      defaults: props.defaults,
    });

    const loadPartition = new LambdaInvoke(this, 'LoadPartition', {
      lambdaFunction: this.fn.function,
      payload: TaskInput.fromObject({
        dataset: props.dataset,
        'runId.$': '$.runId',
        'index.$': '$.index',
        'partition.$': '$.partition',
      }),
      payloadResponseOnly: true,
      taskTimeout: { seconds: props.timeout.toSeconds() + 30 },
    });
    // Reserved concurrency throttles are expected at the edge of maxConcurrency: back off and retry.
    loadPartition.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 8,
    });

    const map = new DistributedMap(this, 'LoadPartitions', {
      itemsPath: JsonPath.stringAt('$.partitions'),
      itemSelector: {
        'runId.$': '$.runId',
        'index.$': '$$.Map.Item.Index',
        'partition.$': '$$.Map.Item.Value',
      },
      maxConcurrency: props.concurrency,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 5,
      // Per-partition results are not needed downstream and could exceed the 256 KB state limit.
      resultPath: JsonPath.DISCARD,
      label: 'Partitions',
    });
    map.itemProcessor(loadPartition);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.defaults.logRetention,
      encryptionKey: props.defaults.logsKey,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: `udi-sentinel bulk load of ${props.dataset}`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(map.next(new Succeed(this, 'Loaded'))),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      // Execution data would copy record contents into logs; state transitions are enough to operate.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
  }
}
