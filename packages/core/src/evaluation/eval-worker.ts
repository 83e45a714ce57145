// A worker_threads evaluator: holds one WasmPolicy and answers evaluation tasks from the pool.
// Loaded by WorkerPool; runs as plain Node (type stripping in source, .js once built).
import { parentPort, workerData } from 'node:worker_threads';
import { prepareBatch, type FindingContext } from './findings.ts';
import { WasmPolicy } from './wasm-policy.ts';

interface Task {
  id: number;
  entrypoint: string;
  input: ArrayBuffer;
  /** When set, the worker also builds the batch's findings (off the main thread). */
  prepare?: FindingContext;
}

const init = workerData as { wasm: Uint8Array; dataJson: string };
const policy = await WasmPolicy.create(init.wasm, init.dataJson);
parentPort!.on('message', (task: Task) => {
  try {
    const input = new Uint8Array(task.input);
    const result = policy.evaluate(task.entrypoint, input);
    const prepared = task.prepare
      ? prepareBatch(task.prepare, new TextDecoder().decode(input), result)
      : undefined;
    parentPort!.postMessage({ id: task.id, ok: true, result: prepared ?? result });
  } catch (error) {
    parentPort!.postMessage({ id: task.id, ok: false, error: (error as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
