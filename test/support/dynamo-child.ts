/**
 * A child process for the harness tests: starts DynamoDB Local, prints its instance id, then either
 * crashes with an uncaught error (`crash`) or waits to be killed (`wait`).
 */
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';

const mode = process.argv[2] ?? 'wait';
const dynamo = await startDynamoDbLocal({ inMemory: true });
process.stdout.write(`${JSON.stringify({ instanceId: dynamo.instanceId, endpoint: dynamo.endpoint })}\n`);
if (mode === 'crash') {
  setImmediate(() => {
    throw new Error('simulated failure in a test that started DynamoDB Local');
  });
} else {
  setInterval(() => undefined, 1_000);
}
