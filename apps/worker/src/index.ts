// @neurocipher/seg-worker: the worker loop, for hosts that run it in their own process.
export { RunWorker } from './run-worker.ts';
export type { LogLine, RunWorkerOptions } from './run-worker.ts';
