import { ContainerModule } from 'inversify';
import { SecretRedactor } from '@neurocipher/seg-core';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';

/**
 * Binds {@link RedactorId} to one `SecretRedactor` of `@neurocipher/seg-core` per command: the evidence
 * store, the AWS adapters' evidence recorders and the run service all redact through it, so a string seen
 * by one is not examined again by another.
 */
export function redactionModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Redactor>(RedactorId)
      .toResolvedValue(() => new SecretRedactor())
      .inSingletonScope();
  });
}
