import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/registrationlisting (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('registrationlisting');
