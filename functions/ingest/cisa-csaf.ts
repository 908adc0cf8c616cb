import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of CISA CSAF medical advisories (ICSMA) via changes.csv. */
export const handler = pollHandler('csaf');
