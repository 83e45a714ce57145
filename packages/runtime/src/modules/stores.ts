import { LocalBlobStore } from '@neurocipher/seg-lakehouse';
import type { BlobStore } from '@neurocipher/seg-ports';
import { makeUserDirSync } from '../files/user-files.ts';
import type { SegConfig } from '../config/seg-config.ts';
import { storeLocation } from '../config/locations.ts';
import type { Resources } from '../engine/resources.ts';
import { awsPartSettings, loadAwsAdapter } from './aws.ts';

/** The blob store a `file:` or `s3://` setting names (`key` names the setting in errors). */
export async function openBlobStore(
  key: 'blobs' | 'warehouse',
  value: string,
  config: SegConfig,
  resources: Resources,
): Promise<BlobStore> {
  const at = storeLocation(key, value);
  if (at.kind === 'file') {
    makeUserDirSync(key === 'blobs' ? 'blob folder' : 'warehouse', at.path);
    return new LocalBlobStore({ root: at.path });
  }
  const aws = await loadAwsAdapter(`${key} ${at.uri}`);
  const { part, destroy } = aws.openS3BlobStore({
    ...awsPartSettings(config),
    bucket: at.bucket,
    prefix: at.prefix,
  });
  return resources.hold(part, destroy);
}
