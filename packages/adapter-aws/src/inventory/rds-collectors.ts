import { DescribeDBInstancesCommand, type DBInstance } from '@aws-sdk/client-rds';
import { SegError } from '@neurocipher/seg-contracts';
import { rawResponse } from '../provider/aws-call.ts';
import type { KindCollector, NativeAsset } from './collector.ts';

/** RDS DB instances of a region. */
export const rdsInstanceCollector: KindCollector = {
  kind: 'rds-instance',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const all: DBInstance[] = [];
    let Marker: string | undefined;
    do {
      const r = await session.call('rds', accountId, region, 'DescribeDBInstances', (c, o) =>
        c.send(new DescribeDBInstancesCommand(Marker ? { Marker } : {}), o),
      );
      all.push(...(r.DBInstances ?? []));
      Marker = r.Marker;
    } while (Marker);
    return all
      .filter((d) => d.DBInstanceIdentifier)
      .map((d): NativeAsset => ({
        kind: 'rds-instance',
        account_id: accountId,
        region,
        native_id: d.DBInstanceIdentifier ?? '',
        name: d.DBInstanceIdentifier ?? '',
        properties: { account_id: accountId, region, engine: d.Engine ?? '', arn: d.DBInstanceArn ?? '' },
      }));
  },
  async read(session, at) {
    const r = await session.call('rds', at.account_id, at.region, 'DescribeDBInstances', (c, o) =>
      c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: at.native_id }), o),
    );
    const d = r.DBInstances?.[0];
    if (!d) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `DB instance ${at.native_id} not found` });
    }
    return {
      body: {
        db_instance_identifier: at.native_id,
        arn: d.DBInstanceArn ?? '',
        engine: d.Engine ?? '',
        engine_version: d.EngineVersion ?? '',
        status: d.DBInstanceStatus ?? 'available',
        publicly_accessible: d.PubliclyAccessible === true,
        storage_encrypted: d.StorageEncrypted === true,
        kms_key_id: d.KmsKeyId ?? null,
        auto_minor_version_upgrade: d.AutoMinorVersionUpgrade === true,
      },
      raw: { DescribeDBInstances: rawResponse(r) },
    };
  },
};
