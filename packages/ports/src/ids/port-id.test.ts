import { describe, expect, it } from '@jest/globals';
import { EvidenceSinkId, type EvidenceSink } from '../evidence/evidence-sink.ts';
import { InventoryPortId, type InventoryPort } from '../inventory/inventory-port.ts';
import { RedactorId } from '../redaction/redactor.ts';
import type { PortId, PortType } from './port-id.ts';

// A typed lookup as a container offers it: the id alone gives the bound type.
function lookup<T>(bindings: ReadonlyMap<symbol, unknown>, id: PortId<T>): T {
  return bindings.get(id) as T;
}

describe('PortId', () => {
  it('is the registered symbol at run time and names its port for the type checker', () => {
    const sink = { put: async () => ({ hash: '', size_bytes: 0 }) } as unknown as EvidenceSink;
    const bindings = new Map<symbol, unknown>([[EvidenceSinkId, sink]]);
    const found: EvidenceSink = lookup(bindings, EvidenceSinkId);
    expect(found).toBe(sink);
    expect(RedactorId).toBe(Symbol.for('seg.ports.Redactor'));
    const kind: PortType<typeof InventoryPortId> | null = null satisfies InventoryPort | null;
    expect(kind).toBeNull();
    expect(typeof InventoryPortId).toBe('symbol');
  });
});
