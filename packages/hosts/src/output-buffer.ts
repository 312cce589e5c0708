/** Collects a stream's text up to a cap; past it, keeps the most recent bytes (errors come last). */
export class OutputBuffer {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #dropped = false;

  constructor(readonly capBytes: number) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.capBytes && this.#chunks.length > 1) {
      this.#size -= this.#chunks.shift()?.length ?? 0;
      this.#dropped = true;
    }
  }

  text(): string {
    const joined = Buffer.concat(this.#chunks);
    const kept = joined.length > this.capBytes ? joined.subarray(joined.length - this.capBytes) : joined;
    return (this.#dropped || kept !== joined ? '[…output truncated…]\n' : '') + kept.toString('utf8');
  }
}

/** The last `lines` lines of a text, for a step's output tail. */
export function tailLines(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}
