import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/recall (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('recall');
