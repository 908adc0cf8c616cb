import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { parserStream } from 'stream-json';
import pick from 'stream-json/filters/pick.js';
import streamValues from 'stream-json/streamers/stream-values.js';

export type BulkEvent = { kind: 'record'; value: unknown } | { kind: 'lastUpdated'; value: string } | { kind: 'chunkSize'; value: number };

// The bulk files are one object `{ meta: {…}, results: [ … ] }`: keep the records and two meta fields.
const PICKED = /^(meta\.last_updated|meta\.results\.limit|results\.\d+)$/;

/**
 * Stream an openFDA bulk JSON document record by record, in constant memory: only one record is
 * assembled at a time, and the consumer's pace is the reader's (backpressure through the pipeline).
 */
export async function* readBulkJson(input: Readable): AsyncGenerator<BulkEvent> {
  const values = streamValues.asStream();
  const done = new Promise<void>((resolve, reject) =>
    pipeline(input, parserStream(), pick.asStream({ filter: PICKED }), values, (err) => (err ? reject(err) : resolve())),
  );
  // Surface pipeline errors (corrupt JSON, truncated zip) to the iterating caller.
  done.catch(() => undefined);
  for await (const item of values as AsyncIterable<{ value: unknown }>) {
    const value = item.value;
    if (typeof value === 'string') yield { kind: 'lastUpdated', value };
    else if (typeof value === 'number') yield { kind: 'chunkSize', value };
    else yield { kind: 'record', value };
  }
  await done;
}

/** The first `.json` entry of a zip file as a stream (openFDA zips hold exactly one). */
export function openZipJson(file: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open zip'));
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`${file} holds no .json entry`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('cannot read zip entry'));
          // Detach from yauzl's stream so the consumer's errors and ends are plain stream events.
          const out = new PassThrough();
          stream.on('error', (x) => out.destroy(x));
          stream.pipe(out);
          resolve(out);
        });
      });
      zip.readEntry();
    });
  });
}

/** A bulk file as a stream: `.zip` (first JSON entry) or plain `.json`. */
export async function openBulkFile(file: string): Promise<Readable> {
  return file.endsWith('.zip') ? openZipJson(file) : createReadStream(file);
}
