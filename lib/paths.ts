import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in lib/). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
