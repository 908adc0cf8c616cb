import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under data/sample/. */
export function samplePath(rel: string): string {
  return fileURLToPath(new URL(`../../../data/sample/${rel}`, import.meta.url));
}

export function readSampleJson(rel: string): unknown {
  return JSON.parse(readFileSync(samplePath(rel), 'utf8'));
}

export function readSampleText(rel: string): string {
  return readFileSync(samplePath(rel), 'utf8');
}

/** The first element of `results` of an openFDA envelope file. */
export function firstResult(rel: string): Record<string, unknown> {
  const doc = readSampleJson(rel) as { results: Record<string, unknown>[] };
  const first = doc.results[0];
  if (first === undefined) throw new Error(`no results in ${rel}`);
  return first;
}
