import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { KmsKeyProvider } from '../kms/kms-key-provider.ts';
import { KmsSigner } from '../kms/kms-signer.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';

/**
 * Where the storage and key parts reach AWS: an endpoint (`AWS_ENDPOINT_URL`, a simulator in tests; S3
 * then uses path-style addressing) and a region. Credentials come from the SDK's default chain
 * (environment, `AWS_PROFILE`, web identity, instance or task role); none is ever passed or logged here.
 */
export interface AwsPartSettings {
  endpoint?: string | null | undefined;
  region: string;
}

/** A part over its own AWS client, released by `destroy()`. */
export interface AwsPart<T> {
  part: T;
  destroy(): void;
}

const clientConfig = (s: AwsPartSettings) => ({
  region: s.region,
  ...(s.endpoint ? { endpoint: s.endpoint } : {}),
});

/** An {@link S3BlobStore} over `bucket` (which must exist) and `prefix`. */
export function openS3BlobStore(
  settings: AwsPartSettings & { bucket: string; prefix: string },
): AwsPart<S3BlobStore> {
  const client = new S3Client({
    ...clientConfig(settings),
    ...(settings.endpoint ? { forcePathStyle: true } : {}),
  });
  // `s3://bucket/blobs` and `s3://bucket/blobs/` name the same folder: the store's prefix ends with `/`.
  const folder = settings.prefix.replace(/^\/+|\/+$/g, '');
  const prefix = folder === '' ? {} : { prefix: `${folder}/` };
  return {
    part: new S3BlobStore({ client, bucket: settings.bucket, ...prefix }),
    destroy: () => client.destroy(),
  };
}

/** A {@link KmsSigner} over an `ECC_NIST_P256` `SIGN_VERIFY` key (its public key is fetched now). */
export async function openKmsSigner(
  settings: AwsPartSettings & { keyId: string },
): Promise<AwsPart<KmsSigner>> {
  const client = new KMSClient(clientConfig(settings));
  try {
    const signer = await KmsSigner.create({ client, keyId: settings.keyId });
    return { part: signer, destroy: () => client.destroy() };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/** A {@link KmsKeyProvider} over a `SYMMETRIC_DEFAULT` key (nothing is called until the first data key). */
export function openKmsKeyProvider(settings: AwsPartSettings & { keyId: string }): AwsPart<KmsKeyProvider> {
  const client = new KMSClient(clientConfig(settings));
  return { part: new KmsKeyProvider({ client, keyId: settings.keyId }), destroy: () => client.destroy() };
}
