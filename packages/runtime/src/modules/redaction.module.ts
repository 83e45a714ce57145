import { ContainerModule } from 'inversify';
import { SecretRedactor } from '@neurocipher/seg-core';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';
import type { Resources } from '../engine/resources.ts';
import { ResourcesId } from '../ids.ts';

/**
 * Binds `RedactorId` to one `SecretRedactor` of `@neurocipher/seg-core` per engine, which the evidence
 * store, the AWS adapters' evidence and the run service all redact through. Large batches are judged on
 * the redactor's own thread, so that evaluation goes on meanwhile; the thread never keeps the process
 * alive when idle and is stopped with the engine.
 */
export function redactionModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Redactor>(RedactorId)
      .toResolvedValue(
        (resources: Resources) => {
          const redactor = new SecretRedactor({ thread: true });
          return resources.hold(redactor, () => redactor.close());
        },
        [ResourcesId],
      )
      .inSingletonScope();
  });
}
