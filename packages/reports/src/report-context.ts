import type { Asset, ControlSpec, Finding, RunSummary } from '@neurocipher/seg-contracts';

/** Framework references of one control, by framework (`cis_aws_v3: "2.1.1"`), from the bundle manifest. */
export type FrameworkRefs = Readonly<Record<string, string>>;

/**
 * What the output formats render: the findings of one run and what describes them. Only `findings` and
 * `controls` are required; the rest enriches the output when known.
 */
export interface ReportInput {
  /** The findings to render (any results). */
  findings: readonly Finding[];
  /** Specs of the controls the findings name; a finding whose control is missing still renders. */
  controls: readonly ControlSpec[];
  /** The run the findings belong to. */
  run?: RunSummary;
  /** Framework mappings by control id. */
  frameworks?: Readonly<Record<string, FrameworkRefs>>;
  /** Assets by URN, for names, kinds and regions. */
  assets?: ReadonlyMap<string, Asset>;
  /** Version of the tool that produced the findings. */
  tool_version: string;
}

/** Name of the product in every output. */
export const PRODUCT_NAME = 'Neurocipher Security Engine';

/** Vendor name in every output. */
export const VENDOR_NAME = 'Neurocipher';

/** Controls by id, for quick lookup. */
export function controlIndex(controls: readonly ControlSpec[]): Map<string, ControlSpec> {
  return new Map(controls.map((control) => [control.id, control]));
}
