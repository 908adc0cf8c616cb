import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { config as processConfig, type Config } from '../config.js';

export interface Clients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/**
 * Build the AWS clients for a configuration. Local mode (DYNAMODB_ENDPOINT set) uses fixed dummy
 * credentials: DynamoDB Local accepts any, and a developer's real AWS profile must never be picked up
 * by accident.
 */
export function createClients(config: Config): Clients {
  const local = config.DYNAMODB_ENDPOINT !== undefined;
  const dynamodb = new DynamoDBClient({
    region: config.AWS_REGION,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 }),
    ...(local
      ? { endpoint: config.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { dynamodb, doc };
}

let shared: Clients | undefined;
/** The process-wide clients, built once per cold start and injected into repositories. */
export function clients(): Clients {
  shared ??= createClients(processConfig());
  return shared;
}
