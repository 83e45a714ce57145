import { z } from 'zod';

/** Version of the normalized IAM-style policy document shared by bucket and iam-policy configs. */
export const POLICY_DOCUMENT_VERSION = '1.0.0';

/**
 * A principal of a policy statement. AWS `"Principal": "*"` normalizes to `{ type: '*', id: '*' }`;
 * `{"AWS": ["arn:..."]}` to one `{ type: 'AWS', id: 'arn:...' }` per value.
 */
export const PolicyPrincipalSchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1),
});
/** A principal of a normalized policy statement. */
export type PolicyPrincipal = z.infer<typeof PolicyPrincipalSchema>;

/**
 * One condition clause: `{"Bool": {"aws:SecureTransport": "false"}}` becomes
 * `{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }`. Values are always strings.
 */
export const PolicyConditionSchema = z.object({
  operator: z.string().min(1),
  key: z.string().min(1),
  values: z.array(z.string()),
});
/** A condition clause of a normalized policy statement. */
export type PolicyCondition = z.infer<typeof PolicyConditionSchema>;

/** A policy statement with every single-or-list field turned into a list. */
export const PolicyStatementSchema = z.object({
  sid: z.string().nullable(),
  effect: z.enum(['Allow', 'Deny']),
  principals: z.array(PolicyPrincipalSchema),
  not_principals: z.array(PolicyPrincipalSchema),
  actions: z.array(z.string()),
  not_actions: z.array(z.string()),
  resources: z.array(z.string()),
  not_resources: z.array(z.string()),
  conditions: z.array(PolicyConditionSchema),
});
/** A normalized policy statement. */
export type PolicyStatement = z.infer<typeof PolicyStatementSchema>;

/** A parsed IAM or resource policy document (bucket policy, IAM managed policy version). */
export const PolicyDocumentSchema = z.object({
  version: z.string().nullable(),
  statements: z.array(PolicyStatementSchema),
});
/** A normalized policy document. */
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
