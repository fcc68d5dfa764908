// One throughput worker: analyses the same case `count` times.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeEvidence } from '../../src/evidence/index.js';

const { claim, references, count } = workerData as {
  claim: Uint8Array;
  references: Uint8Array[];
  count: number;
};
for (let i = 0; i < count; i += 1) {
  await analyzeEvidence(claim, { references: references.map((bytes) => ({ bytes })) });
}
parentPort?.postMessage('done');
