// Public surface of @neurocipher/seg-attest: DSSE envelopes over in-toto statements, Ed25519 and
// ML-DSA-65 signers, verification, a local RFC 9162 transparency log, and the AttestationPort.
export { decodeBase64, encodeBase64, encodeBase64Url } from './encoding/base64.ts';
export { toHex, fromHex } from './encoding/bytes.ts';
export { canonicalJson, canonicalJsonBytes } from './encoding/canonical-json.ts';
export { preAuthEncoding } from './dsse/pae.ts';
export {
  DsseEnvelopeSchema,
  IN_TOTO_PAYLOAD_TYPE,
  decodePayload,
  envelopeBytes,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
} from './dsse/envelope.ts';
export type { DsseEnvelope, DsseSignature, ParsedDsseEnvelope } from './dsse/envelope.ts';
export type { TrustedKey } from './dsse/signer.ts';
export { verifyEnvelope } from './dsse/verify-envelope.ts';
export type { EnvelopePolicy, VerifiedEnvelope, VerifiedSignature } from './dsse/verify-envelope.ts';
export { verifyFailed } from './errors.ts';
export type { VerifyFailureReason } from './errors.ts';
export {
  Ed25519Signer,
  ed25519Keyid,
  ed25519PrivateKeyPem,
  ed25519PublicKeyPem,
  ed25519TrustedKey,
  parseEd25519PrivateKey,
  parseEd25519PublicKey,
  verifyEd25519,
} from './keys/ed25519.ts';
export type { Ed25519Jwk, Ed25519SignerOptions } from './keys/ed25519.ts';
export {
  ML_DSA_65_KEYTYPE,
  ML_DSA_65_SCHEME,
  MlDsa65Signer,
  mlDsa65Keyid,
  mlDsa65PublicKeyPem,
  mlDsa65TrustedKey,
  mlDsaMessage,
  parseMlDsa65PublicKey,
} from './keys/ml-dsa.ts';
export type { MlDsa65SignerOptions } from './keys/ml-dsa.ts';
export { securesystemslibKeyid } from './keys/keyid.ts';
export { decodePem, encodePem } from './keys/pem.ts';
export type { PemBlock } from './keys/pem.ts';
export { ecdsaP256TrustedKey, trustedKeyFromSigner, trustedKeyFromSpki } from './keys/trusted-key.ts';
export {
  EVALUATION_RUN_PREDICATE_TYPE,
  EvaluationRunPredicateSchema,
  InTotoStatementSchema,
  REMEDIATION_RUN_PREDICATE_TYPE,
  RemediationRunPredicateSchema,
  attestationSchemas,
} from './statement/predicates.ts';
export type {
  AttestationSchemaEntry,
  EvaluationRunPredicate,
  RemediationRunPredicate,
} from './statement/predicates.ts';
export {
  IN_TOTO_STATEMENT_TYPE,
  dataFileSubjectName,
  evaluationStatement,
  evidenceSubjectName,
  overallResult,
  parseStatement,
  parseSubjectName,
  planBytes,
  planSubjectName,
  predicateRun,
  remediationStatement,
  runSummaryBytes,
  runSummarySubjectName,
  statementBytes,
} from './statement/statement.ts';
export type {
  CommittedFile,
  InTotoStatement,
  OutcomeInput,
  ParsedStatement,
  PlanInput,
  RemediationMaterial,
  RunMaterial,
  RunSummaryInput,
  StatementSubject,
  StatementType,
  SubjectRef,
  TableCommitInput,
} from './statement/statement.ts';
export {
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './log/merkle.ts';
export {
  checkpointBody,
  noteKeyId,
  noteSigner,
  noteVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
  verifyNote,
} from './log/checkpoint.ts';
export type { NoteSigner, TreeHead } from './log/checkpoint.ts';
export { TransparencyLog } from './log/transparency-log.ts';
export type { LogAppendResult, TransparencyLogOptions } from './log/transparency-log.ts';
export { retryOnConflict } from './log/retry-on-conflict.ts';
export type { RetryOnConflictOptions } from './log/retry-on-conflict.ts';
export { verifyLogEntry } from './log/verify-log-entry.ts';
export type { LogEntryVerification, LogLocation } from './log/verify-log-entry.ts';
export type { FileSystemPort } from './publish/file-system-port.ts';
export type { SubjectResolver } from './service/subject-resolver.ts';
export {
  AttestationService,
  assertVerified,
  envelopeFileName,
  verifyReportError,
  withTransparencyUri,
} from './service/attestation-service.ts';
export type {
  AttestationServiceOptions,
  RunAttestationMaterial,
  RunMaterialSource,
} from './service/attestation-service.ts';
export {
  trustedKeyFromPublicKeyText,
  verifyEnvelopeFile,
  verifyEnvelopeText,
} from './verify/verify-envelope-file.ts';
export type { EnvelopeFileVerification } from './verify/verify-envelope-file.ts';
export { attestedRun, verifyRunData } from './verify/verify-run-data.ts';
export type { AttestedRun, RunDataOptions, RunDataVerification } from './verify/verify-run-data.ts';
