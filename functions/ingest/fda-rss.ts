import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of the FDA medical-device safety communications RSS feed. */
export const handler = pollHandler('safety');
