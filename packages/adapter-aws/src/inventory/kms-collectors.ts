import { DescribeKeyCommand, GetKeyRotationStatusCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { rawResponse } from '../provider/aws-call.ts';
import type { KindCollector, NativeAsset } from './collector.ts';

/** KMS keys of a region with their rotation status. */
export const kmsKeyCollector: KindCollector = {
  kind: 'kms-key',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const out: NativeAsset[] = [];
    let Marker: string | undefined;
    do {
      const r = await session.call('kms', accountId, region, 'ListKeys', (c, o) =>
        c.send(new ListKeysCommand(Marker ? { Marker } : {}), o),
      );
      for (const k of r.Keys ?? []) {
        if (!k.KeyId) continue;
        out.push({
          kind: 'kms-key',
          account_id: accountId,
          region,
          native_id: k.KeyId,
          name: k.KeyId,
          properties: { account_id: accountId, region, arn: k.KeyArn ?? '' },
        });
      }
      Marker = r.Truncated ? r.NextMarker : undefined;
    } while (Marker);
    return out;
  },
  async read(session, at) {
    const d = await session.call('kms', at.account_id, at.region, 'DescribeKey', (c, o) =>
      c.send(new DescribeKeyCommand({ KeyId: at.native_id }), o),
    );
    const m = d.KeyMetadata;
    // Rotation is reported only for symmetric keys with KMS-generated material.
    const rotatable =
      m?.KeySpec === 'SYMMETRIC_DEFAULT' && m.Origin === 'AWS_KMS' && m.KeyState !== 'PendingDeletion';
    const rot = rotatable
      ? await session.call('kms', at.account_id, at.region, 'GetKeyRotationStatus', (c, o) =>
          c.send(new GetKeyRotationStatusCommand({ KeyId: at.native_id }), o),
        )
      : null;
    return {
      body: {
        key_id: at.native_id,
        arn: m?.Arn ?? '',
        key_manager: m?.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
        key_spec: m?.KeySpec ?? 'SYMMETRIC_DEFAULT',
        key_usage: m?.KeyUsage ?? 'ENCRYPT_DECRYPT',
        key_state: m?.KeyState ?? 'Enabled',
        origin: m?.Origin ?? 'AWS_KMS',
        rotation_enabled: rot ? rot.KeyRotationEnabled === true : null,
      },
      raw: { DescribeKey: rawResponse(d), ...(rot ? { GetKeyRotationStatus: rawResponse(rot) } : {}) },
    };
  },
};
