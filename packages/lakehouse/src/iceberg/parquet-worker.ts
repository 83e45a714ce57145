// Worker thread of the ParquetEncoderPool: encodes one data file's packed columns per message and
// transfers the bytes back.
import { parentPort } from 'node:worker_threads';
import type { EncodeTask } from './encoder-pool.ts';
import { encodePacked } from './parquet-encoder.ts';

const port = parentPort;
if (!port) throw new Error('parquet-worker.ts runs only as a worker thread');
port.on('message', (task: EncodeTask) => {
  try {
    const bytes = encodePacked(task.schema, task.columns, task.codec);
    port.postMessage({ id: task.id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) });
  }
});
