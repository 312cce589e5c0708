/** What placement needs to know about a host. */
export interface PlacementHost {
  id: string;
  status: 'active' | 'draining';
  /** How many agents the host may run. */
  capacity: number;
}

/**
 * The active host with the most free capacity (capacity minus agents placed on it), or null when
 * no active host has room. Draining hosts keep their agents but get no new ones. Ties go to the
 * host listed first, so the choice is stable for a given list.
 */
export function pickHost<Host extends PlacementHost>(
  hosts: readonly Host[],
  loads: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
): Host | null {
  const placed = (id: string): number =>
    (loads instanceof Map ? loads.get(id) : (loads as Readonly<Record<string, number>>)[id]) ?? 0;
  let best: Host | null = null;
  let bestFree = 0;
  for (const host of hosts) {
    if (host.status !== 'active') continue;
    const free = host.capacity - placed(host.id);
    if (free > bestFree) {
      best = host;
      bestFree = free;
    }
  }
  return best;
}
