/**
 * The two tables, defined once. The CDK app (infra/) and the local runtime (lib/local/) both read these
 * definitions, so a key or index cannot exist in one place and not the other.
 */

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDefinition {
  /** Logical id used by CDK and the default physical name used locally. */
  id: 'reference' | 'records';
  partitionKey: string;
  sortKey: string;
  indexes: readonly IndexDefinition[];
  /** Epoch-seconds attribute that DynamoDB TTL expires (caches, leases). */
  ttlAttribute: string;
  description: string;
}

export const REFERENCE_TABLE: TableDefinition = {
  id: 'reference',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  ttlAttribute: 'expiresAt',
  description: 'Public FDA/CISA mirror; written only by ingestion.',
};

export const RECORDS_TABLE: TableDefinition = {
  id: 'records',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  ttlAttribute: 'expiresAt',
  description: 'Organisation data: checks (audit), API keys, inventory, alerts, ingest cursors and leases.',
};

export const TABLES = [REFERENCE_TABLE, RECORDS_TABLE] as const;
