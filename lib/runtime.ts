import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clients, type Clients } from './aws/clients.js';
import { config, type Config } from './config.js';
import { ReferenceRepository } from './store/reference-repo.js';
import { AuditRepository } from './check/audit-repo.js';
import { EvidenceRepository } from './check/evidence.js';
import { writeAndLink } from './ingest/context.js';
import { GudidReadThrough } from './ingest/gudid-read-through.js';

/** Everything a handler needs, built once per process from configuration and injected clients. */
export interface Runtime {
  config: Config;
  clients: Clients;
  reference: ReferenceRepository;
  evidence: EvidenceRepository;
  audit: AuditRepository;
  /** Cheap reachability probe of the records table. */
  pingRecords(): Promise<void>;
}

export function createRuntime(cfg: Config, c: Clients): Runtime {
  const readThrough = new GudidReadThrough({
    config: cfg,
    doc: c.doc,
    write: (items) => writeAndLink(c.doc, cfg.REFERENCE_TABLE, items),
    now: () => new Date(),
  });
  return {
    config: cfg,
    clients: c,
    reference: new ReferenceRepository(c.doc, cfg.REFERENCE_TABLE),
    evidence: new EvidenceRepository({
      doc: c.doc,
      referenceTable: cfg.REFERENCE_TABLE,
      recordsTable: cfg.RECORDS_TABLE,
      readThrough: (di) => readThrough.lookup(di),
    }),
    audit: new AuditRepository(c.doc, cfg.RECORDS_TABLE),
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
