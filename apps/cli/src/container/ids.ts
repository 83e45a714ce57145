/** Container id of the validated {@link CliConfig}. */
export const CliConfigId = Symbol.for('seg.cli.CliConfig');
/** Container id of the evaluation engine (`Evaluator` of `@neurocipher/seg-core`). */
export const EvaluatorId = Symbol.for('seg.cli.Evaluator');
/** Container id of the lakehouse (`Lakehouse`: tables, catalog and the finding store). */
export const LakehouseId = Symbol.for('seg.cli.Lakehouse');
/** Container id of the `--provider` chosen for a scan. */
export const ProviderId = Symbol.for('seg.cli.Provider');
/** Container id of the run attester (`Attester`). */
export const AttesterId = Symbol.for('seg.cli.Attester');
