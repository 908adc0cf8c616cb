import { bulkPartitionHandler } from '../../lib/ingest/bulk-lambda.js';

/** One openFDA UDI download partition per invocation (Step Functions Distributed Map fan-out). */
export const handler = bulkPartitionHandler('udi');
