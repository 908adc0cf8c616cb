import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { createClients } from '../../aws/clients.js';
import { createRuntime } from '../../runtime.js';
import { prepareStore } from '../../local/stack.js';
import { countByEntity } from '../../store/stats.js';
import { EXIT, type CliIo } from '../io.js';

export const usage = `udi-sentinel stats [--json]

Prints the item count per entity in each table. Needs DYNAMODB_ENDPOINT (local) or AWS credentials.`;

export async function stats(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
  const config = loadConfig();
  const rt = createRuntime(config, createClients(config));
  try {
    await prepareStore(rt);
    const result = {
      reference: await countByEntity(rt.clients.doc, config.REFERENCE_TABLE),
      records: await countByEntity(rt.clients.doc, config.RECORDS_TABLE),
    };
    if (values.json) {
      io.out(JSON.stringify(result));
    } else {
      for (const [table, counts] of Object.entries(result)) {
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        io.out(`${table} (${total} items)`);
        for (const [entity, n] of Object.entries(counts)) io.out(`  ${entity.padEnd(28)} ${String(n).padStart(8)}`);
      }
    }
    return EXIT.ok;
  } finally {
    rt.clients.dynamodb.destroy();
  }
}
