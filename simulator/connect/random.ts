/**
 * A small seeded pseudo-random generator and the draws the simulator needs. Math.random cannot be seeded,
 * and a simulation that cannot be replayed cannot be debugged or compared run against run.
 */

/** SplitMix32: spreads any 32-bit seed (even 0 or 1) into well-mixed state words for the generator. */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/**
 * SFC32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, passes PractRand, and
 * needs only 32-bit integer operations, which V8 keeps unboxed. Plenty for a simulation, not for secrets.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  // Box-Muller yields normals in pairs; the second is kept for the next call.
  private spareNormal: number | undefined;

  constructor(seed: number) {
    const mix = splitMix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // The first outputs of a freshly seeded SFC are still correlated with the seed; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponentially distributed with the given mean (the memoryless draw behind Erlang C and Erlang A). */
  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the logarithm is finite.
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal, by the Box-Muller transform. */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /**
   * Lognormal with the given mean and coefficient of variation (standard deviation / mean). Handling times
   * are skewed this way in practice: most calls are short, a few run very long, none are negative.
   */
  lognormal(mean: number, cv: number): number {
    const sigmaSquared = Math.log(1 + cv * cv);
    const mu = Math.log(mean) - sigmaSquared / 2;
    return Math.exp(mu + Math.sqrt(sigmaSquared) * this.normal());
  }
}
