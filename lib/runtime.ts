import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clients, type Clients } from './aws/clients.js';
import { config, type Config } from './config.js';
import { ReferenceRepository } from './store/reference-repo.js';

/** Everything a handler needs, built once per process from configuration and injected clients. */
export interface Runtime {
  config: Config;
  clients: Clients;
  reference: ReferenceRepository;
  /** Cheap reachability probe of the records table. */
  pingRecords(): Promise<void>;
}

export function createRuntime(cfg: Config, c: Clients): Runtime {
  return {
    config: cfg,
    clients: c,
    reference: new ReferenceRepository(c.doc, cfg.REFERENCE_TABLE),
    pingRecords: async () => {
      await c.doc.send(new GetCommand({ TableName: cfg.RECORDS_TABLE, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
    },
  };
}

let shared: Runtime | undefined;
export function runtime(): Runtime {
  shared ??= createRuntime(config(), clients());
  return shared;
}
