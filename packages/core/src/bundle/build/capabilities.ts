/** An opa capabilities document (`opa capabilities --current`): built-ins plus other keys kept as they are. */
export type OpaCapabilities = { builtins: Array<{ name: string }> } & Record<string, unknown>;

/**
 * Built-ins a bundle policy may never call (DESIGN.md §6): the clock, the network, randomness and runtime
 * introspection, so that a control's result depends on its input and data only.
 */
export const FORBIDDEN_BUILTINS: readonly RegExp[] = [
  /^time\.now_ns$/,
  /^http\.send$/,
  /^rand\./,
  /^net\./,
  /^uuid\./,
  /^opa\.runtime$/,
];

/** Whether a built-in name is forbidden in bundles. */
export function isForbiddenBuiltin(name: string): boolean {
  return FORBIDDEN_BUILTINS.some((re) => re.test(name));
}

/**
 * A capabilities document without the forbidden built-ins: given to `opa check` and `opa build`, it makes
 * a policy that calls one fail to compile (`undefined function time.now_ns`). Pure.
 */
export function restrictCapabilities(capabilities: OpaCapabilities): OpaCapabilities {
  return { ...capabilities, builtins: capabilities.builtins.filter((b) => !isForbiddenBuiltin(b.name)) };
}
