/**
 * Which device paths a driver holds open right now (serial paths and tcp://host:port). Discovery marks these
 * "in use", and probes refuse them: toggling DTR/RTS or writing probe bytes can reset a stick mid-commission.
 */
const claims = new Map<string, number>();

/** Marks `path` in use until the returned release function is called (idempotent). */
export function claimPort(path: string): () => void {
  claims.set(path, (claims.get(path) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (claims.get(path) ?? 1) - 1;
    if (count <= 0) claims.delete(path);
    else claims.set(path, count);
  };
}

export function claimedPorts(): ReadonlySet<string> {
  return new Set(claims.keys());
}
