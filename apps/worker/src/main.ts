// seg-worker: the config from SEG_* variables and the config file (as `seg` reads it), the queue of its
// `queue` setting, one engine per tenant (`tenants.<org>.inventory`), and a clean stop on SIGTERM/SIGINT.
import { isSegError } from '@neurocipher/seg-contracts';
import { openMessaging } from '@neurocipher/seg-messaging';
import { EventBusId } from '@neurocipher/seg-ports';
import { TenantEngines, loadSegConfig, replace } from '@neurocipher/seg-runtime';
import { RunWorker } from './run-worker.ts';
import type { LogLine } from './run-worker.ts';

const log = (line: LogLine): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
};

async function main(): Promise<void> {
  const cwd = process.cwd();
  const { config } = loadSegConfig({ cwd, env: process.env });
  const messaging = await openMessaging(config.queue, {
    name: 'seg-worker',
    queue: { ack_wait_ms: config.jobs.ack_wait_ms, max_deliver: config.jobs.max_deliver },
  });
  const engines = new TenantEngines(config, { cwd, replace: [replace(EventBusId, messaging.events)] });
  const worker = new RunWorker({
    queue: messaging.queue,
    engineFor: (org_id) => engines.for(org_id),
    heartbeat_ms: config.jobs.heartbeat_ms,
    log,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    void (async () => {
      await worker.stop();
      await engines.close();
      await messaging.close();
      log({ level: 'info', msg: 'stopped' });
      process.exitCode = 0;
    })();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  worker.start();
  log({
    level: 'info',
    msg: 'worker ready',
    queue: messaging.kind,
    tenants: Object.keys(config.tenants).length,
  });
}

main().catch((error: unknown) => {
  const code = isSegError(error) ? error.error_code : 'SEG_INTERNAL';
  const message = isSegError(error) ? error.message : 'the worker could not start';
  log({ level: 'error', msg: 'worker failed to start', error_code: code, message });
  process.exitCode = 2;
});
