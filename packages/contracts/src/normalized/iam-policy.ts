import { z } from 'zod';
import { PolicyDocumentSchema } from './policy-document.ts';

/** Version of the normalized `iam-policy` config body. */
export const IAM_POLICY_CONFIG_VERSION = '1.0.0';

/** Normalized config of a managed IAM policy with the document of its default version. */
export const IamPolicyConfigSchema = z.object({
  arn: z.string().min(1),
  name: z.string().min(1),
  is_aws_managed: z.boolean(),
  attachment_count: z.number().int().min(0),
  default_version_id: z.string().min(1),
  document: PolicyDocumentSchema,
});
/** Normalized `iam-policy` config body. */
export type IamPolicyConfig = z.infer<typeof IamPolicyConfigSchema>;
