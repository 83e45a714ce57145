/**
 * The container id of a port: a `Symbol.for('seg.ports.<Port>')` that also names, for the type checker
 * only, the interface bound to it, so a typed lookup (`get(InventoryPortId)`) returns an
 * {@link InventoryPort} without a cast. At run time it is a plain registered symbol; `__port` never
 * exists on it.
 */
export type PortId<T> = symbol & { readonly __port?: T };

/** The interface a {@link PortId} names (`PortType<typeof InventoryPortId>` is `InventoryPort`). */
export type PortType<I> = I extends PortId<infer T> ? T : never;
