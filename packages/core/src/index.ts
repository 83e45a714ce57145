export {
  AGGREGATE_ENTRYPOINT,
  CHECKSUMS_FILE,
  controlEntrypoint,
  GATES_ENTRYPOINT,
  isSignedPath,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  snakeId,
  UNSIGNED_FILES,
  WASM_FILE,
} from './bundle/bundle-layout.ts';
export { BundleBuilder, loadBundleSource, signingKeyId } from './bundle/build/bundle-builder.ts';
export type {
  BundleBuilderOptions,
  BundleBuildReport,
  BundleBuildStep,
  BundleProblem,
  BundleProgress,
  BundleSourceFiles,
  CheckReport,
  FormatReport,
  OpaBundleOptions,
  SignOptions,
  SignReport,
  VectorTestReport,
  WrittenWasm,
} from './bundle/build/bundle-builder.ts';
export { bundleStructureProblems } from './bundle/build/bundle-structure.ts';
export { FORBIDDEN_BUILTINS, isForbiddenBuiltin, restrictCapabilities } from './bundle/build/capabilities.ts';
export type { OpaCapabilities } from './bundle/build/capabilities.ts';
export { OpaCli } from './bundle/build/opa-cli.ts';
export type { OpaCliOptions, OpaRun } from './bundle/build/opa-cli.ts';
export { readTarGz } from './bundle/build/tar.ts';
export {
  gateVectorTestFile,
  gateVectorTestPackage,
  parseGateOpaTestResults,
  parseOpaTestResults,
  renderGateVectorTests,
  renderVectorTests,
  vectorTestFile,
  vectorTestPackage,
} from './bundle/build/vector-tests.ts';
export type { OpaTestOutcome } from './bundle/build/vector-tests.ts';
export {
  BUNDLE_REF_GRAMMAR,
  BUNDLE_REF_PATTERN,
  parseBundleRef,
  resolveBundleRef,
} from './bundle/bundle-ref.ts';
export { parseChecksums, renderChecksums } from './bundle/checksums.ts';
export { DirectoryBundleSource, readBundleDirectory } from './bundle/directory-bundle-source.ts';
export type { DirectoryBundleSourceOptions } from './bundle/directory-bundle-source.ts';
export { bundleKind, defaultInputs, inputErrors, parseManifest } from './bundle/manifest.ts';
export type { BundleKind, BundleManifest, ManifestControl } from './bundle/manifest.ts';
export {
  AGGREGATOR_FILE,
  mergeBundleData,
  opaSourceTree,
  renderAggregator,
  wasmEntrypoints,
} from './bundle/opa-layout.ts';
export {
  keyIdOf,
  parseTrustedKeys,
  SIGNATURE_FORMAT,
  signChecksums,
  trustedKeyFrom,
  verifySignature,
} from './bundle/signature.ts';
export type { BundleSignature } from './bundle/signature.ts';
export { verifyBundle } from './bundle/verify-bundle.ts';
export type { VerifiedBundle } from './bundle/verify-bundle.ts';
export { instantiateWasm, readVerifiedBundle } from './evaluation/bundle-loader.ts';
export type { LoadedBundle, ReadVerifiedBundleOptions } from './evaluation/bundle-loader.ts';
export { Evaluator } from './evaluation/evaluator.ts';
export type {
  AssetDocument,
  DraftEvalResult,
  EngineChoice,
  EvaluateOptions,
  EvaluatorOptions,
  EvaluatorStats,
} from './evaluation/evaluator.ts';
export {
  buildFindings,
  checkedResult,
  evidenceDraft,
  fingerprintOf,
  isControlResult,
  isPreparedBatch,
  makeFinding,
  prepareBatch,
  resolvePointer,
  RUN_ID_NAMESPACE,
} from './evaluation/findings.ts';
export type {
  ControlResult,
  DraftFinding,
  EvidenceDraft,
  FindingContext,
  FindingInput,
  PreparedBatch,
} from './evaluation/findings.ts';
export { sealFindings } from './evaluation/seal-findings.ts';
export type { SealedFindings } from './evaluation/seal-findings.ts';
export { hostBuiltins, parseRfc3339Ns } from './evaluation/host-builtins.ts';
export { OpaServerEngine, WasmEngine } from './evaluation/policy-engine.ts';
export type {
  EvaluateCallOptions,
  OpaServerEngineOptions,
  PolicyEngine,
  WasmEngineOptions,
} from './evaluation/policy-engine.ts';
export { WasmPolicy } from './evaluation/wasm-policy.ts';
export { WorkerPool } from './evaluation/worker-pool.ts';
export type { WorkerPoolOptions } from './evaluation/worker-pool.ts';
export { bundleVectors, parseVectorFile, runVectors } from './validation/vectors.ts';
export type { ControlVector, VectorFile, VectorOutcome } from './validation/vectors.ts';
export { gateVectors, parseGateVectorFile, runGateVectors } from './validation/gate-vectors.ts';
export type { GateVector, GateVectorFile, GateVectorOutcome } from './validation/gate-vectors.ts';
export { GateDecisionSchema, GateRequirementSchema, parseGateDecision } from './gates/gate-decision.ts';
export type { GateDecision, GateRequirement } from './gates/gate-decision.ts';
export { GATE_ACTIONS, GateInputSchema, parseGateInput, ROLLOUT_PHASES } from './gates/gate-input.ts';
export type { GateAction, GateInput } from './gates/gate-input.ts';
export { GatesEvaluator } from './gates/gates-evaluator.ts';
export type { GatesBundleInfo, GatesEvaluatorOptions } from './gates/gates-evaluator.ts';
export { SecretRedactor } from './redaction/secret-redactor.ts';
export {
  approvalOf,
  approvalShortfall,
  approvalsOfPlan,
  assertApproved,
  planDigest,
} from './remediation/approvals.ts';
export type { ApprovalNeed, ApprovalShortfall } from './remediation/approvals.ts';
export {
  GuardrailsSchema,
  WEEKDAYS,
  WeeklyWindowSchema,
  assertGuardrails,
  inWeeklyWindow,
  isProduction,
} from './remediation/guardrails.ts';
export type { Guardrails, WeeklyWindow, Weekday } from './remediation/guardrails.ts';
export { RemediationDesk } from './remediation/remediation-desk.ts';
export type {
  DryRun,
  MadePlan,
  PlanLedger,
  RemediationBench,
  RemediationGates,
  SettingHint,
  ShownPlan,
} from './remediation/remediation-desk.ts';
export { FAILING_RESULTS, remediableFinding } from './remediation/remediable-finding.ts';
export type { CommittedFinding, FindingSource } from './remediation/remediable-finding.ts';
export { RemediationService } from './remediation/remediation-service.ts';
export type { RemediationPreview, RemediationServiceOptions } from './remediation/remediation-service.ts';
export type { SecretRedactorOptions } from './redaction/secret-redactor.ts';
export { EVIDENCE_INDEX_MEDIA_TYPE, EVIDENCE_INDEX_TYPE, evidenceIndex } from './run/evidence-index.ts';
export type { EvidenceIndex } from './run/evidence-index.ts';
export { PortRunAttester } from './run/run-attester.ts';
export type { AttestedRun, PortRunAttesterOptions, RunAttester } from './run/run-attester.ts';
export { controlSpecOf, frameworksOf, runControlsOf } from './run/run-controls.ts';
export type { PolicyBundleDigest, RunControls } from './run/run-controls.ts';
export { RunMaterialRegistry } from './run/run-material.ts';
export type { CommittedFilesSource } from './run/run-material.ts';
export type { RunPhase, RunProgressEvent, RunProgressListener } from './run/run-progress.ts';
export { RunService } from './run/run-service.ts';
export type { RunEvaluator, RunOutcome, RunRequest, RunServiceOptions } from './run/run-service.ts';
