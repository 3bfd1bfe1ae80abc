/**
 * Container codes shippers use, with their ISO 6346 size-type, TEU and default gross mass.
 * Default gross mass = 10 t of cargo per TEU (the GLEC-style worked example of a 10 t TEU,
 * reference.md §5.2 [S116]) plus a typical tare for the type (estimate, background knowledge).
 */
export const CONTAINER_CODES = {
  '20GP': { isoType: '22G1', teu: 1, defaultGrossKg: 12_200, reefer: false },
  '40GP': { isoType: '42G1', teu: 2, defaultGrossKg: 23_750, reefer: false },
  '40HC': { isoType: '45G1', teu: 2, defaultGrossKg: 23_900, reefer: false },
  '45HC': { isoType: 'L5G1', teu: 2.25, defaultGrossKg: 27_300, reefer: false },
  '20RF': { isoType: '22R1', teu: 1, defaultGrossKg: 13_000, reefer: true },
  '40RF': { isoType: '45R1', teu: 2, defaultGrossKg: 24_800, reefer: true },
} as const;

export type ContainerCode = keyof typeof CONTAINER_CODES;

/** The heaviest gross mass accepted for one container (ISO 668 allows up to 36 t). */
const MAX_GROSS_KG = 36_000;

/** A group of identical containers. */
export interface ContainerGroup {
  code: ContainerCode;
  count: number;
  /** Gross mass of one container: cargo plus tare. */
  grossKg: number;
}

export type ParseContainersResult =
  { ok: true; containers: ContainerGroup[] } | { ok: false; message: string };

/**
 * Parses a container list such as `2x40HC,1x20GP` or `2x40HC:18000` (gross kg per container
 * after the colon). Counts are 1-500 per group; codes are those of CONTAINER_CODES,
 * case-insensitive. Pure.
 */
export function parseContainers(spec: string): ParseContainersResult {
  const groups: ContainerGroup[] = [];
  const parts = spec.split(',').map((p) => p.trim());
  for (const part of parts) {
    const m = /^(\d+)\s*[xX×]\s*([0-9A-Za-z]+)(?::(\d+))?$/.exec(part);
    if (!m)
      return {
        ok: false,
        message: `"${part}" is not COUNTxTYPE[:GROSSKG], e.g. 2x40HC or 1x20GP:14000`,
      };
    const count = Number(m[1]);
    const code = m[2]!.toUpperCase();
    if (!(code in CONTAINER_CODES))
      return {
        ok: false,
        message: `unknown container type "${m[2]}"; use ${Object.keys(CONTAINER_CODES).join(', ')}`,
      };
    if (count < 1 || count > 500) return { ok: false, message: `"${part}": count must be 1-500` };
    const info = CONTAINER_CODES[code as ContainerCode];
    const grossKg = m[3] === undefined ? info.defaultGrossKg : Number(m[3]);
    if (grossKg < 1_000 || grossKg > MAX_GROSS_KG)
      return {
        ok: false,
        message: `"${part}": gross mass must be 1000-${MAX_GROSS_KG} kg per container`,
      };
    groups.push({ code: code as ContainerCode, count, grossKg });
  }
  return { ok: true, containers: groups };
}

/** Total gross mass in kg. */
export function grossKgOf(containers: readonly ContainerGroup[]): number {
  return containers.reduce((sum, c) => sum + c.count * c.grossKg, 0);
}
