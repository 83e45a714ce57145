import { ContainerModule } from 'inversify';
import { SecretRedactor } from '@neurocipher/seg-core';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';

/**
 * Binds {@link RedactorId} to one `SecretRedactor` of `@neurocipher/seg-core` per command, which the
 * evidence store, the AWS adapters' evidence recorders and the run service all redact through. Large
 * batches (a chunk's evidence, messages and assets) are judged on the redactor's own thread, so that
 * evaluation goes on meanwhile; the thread never keeps the process alive when idle.
 */
export function redactionModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Redactor>(RedactorId)
      .toResolvedValue(() => new SecretRedactor({ thread: true }))
      .inSingletonScope();
  });
}
