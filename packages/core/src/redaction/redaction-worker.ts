// A worker_threads redactor: judges the texts the SecretRedactor hands it, off the calling thread.
// Loaded by SecretRedactor; runs as plain Node (type stripping in source, .js once built).
import { parentPort } from 'node:worker_threads';
import { judgeTexts } from './text-verdicts.ts';

interface Task {
  id: number;
  texts: string[];
  batchSize: number;
}

parentPort!.on('message', (task: Task) => {
  judgeTexts(task.texts, task.batchSize).then(
    (verdicts) => parentPort!.postMessage({ id: task.id, ok: true, verdicts }),
    (error: unknown) => parentPort!.postMessage({ id: task.id, ok: false, error: (error as Error).message }),
  );
});
