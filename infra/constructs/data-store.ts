import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RECORDS_TABLE, REFERENCE_TABLE, type TableDefinition } from '../../lib/store/tables.js';

/** A deployed table together with its definition (keys, indexes, TTL) and its CMK. */
export interface ServiceTable {
  definition: TableDefinition;
  table: TableV2;
  key: IKey;
}

export interface DataStoreProps {
  /** CMK for both tables and the backup vault (rotation on). */
  dataKey: IKey;
}

/**
 * The two tables of lib/store/tables.ts — keys, indexes and TTL come from the definitions, never
 * restated — on demand, PITR, CMK, deletion protection, RETAIN; plus an AWS Backup plan for retention
 * beyond PITR's 35 days (audit records: HIPAA documentation is kept six years).
 */
export class DataStore extends Construct {
  readonly reference: ServiceTable;
  readonly records: ServiceTable;
  readonly backupPlan: BackupPlan;
  readonly backupVault: BackupVault;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    this.reference = this.table(REFERENCE_TABLE, props.dataKey);
    this.records = this.table(RECORDS_TABLE, props.dataKey);

    this.backupVault = new BackupVault(this, 'BackupVault', {
      encryptionKey: props.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new BackupPlan(this, 'BackupPlan', { backupVault: this.backupVault });
    this.backupPlan.addRule(
      new BackupPlanRule({
        ruleName: 'Daily35Days',
        scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
        deleteAfter: Duration.days(35),
      }),
    );
    this.backupPlan.addRule(
      new BackupPlanRule({
        ruleName: 'Monthly7Years',
        scheduleExpression: Schedule.cron({ day: '1', hour: '6', minute: '0' }),
        deleteAfter: Duration.days(7 * 365 + 2),
      }),
    );
    this.backupPlan.addSelection('Tables', {
      resources: [BackupResource.fromArn(this.reference.table.tableArn), BackupResource.fromArn(this.records.table.tableArn)],
    });
  }

  get tables(): ServiceTable[] {
    return [this.reference, this.records];
  }

  private table(definition: TableDefinition, key: IKey): ServiceTable {
    const string = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new TableV2(this, pascal(definition.id), {
      partitionKey: string(definition.partitionKey),
      sortKey: string(definition.sortKey),
      globalSecondaryIndexes: definition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
      })),
      timeToLiveAttribute: definition.ttlAttribute,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return { definition, table, key };
  }
}

const pascal = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}Table`;
