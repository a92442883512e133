/**
 * The simulated clock. Simulated time runs `scale` times faster than real
 * time, so a 10-minute canary pause lasts 10 s at scale 60. Timestamps leave
 * the sandbox in "wire" time: simulated instants shifted so that the
 * simulated present is the real present, because consumers compare what they
 * read with their own `Date.now()` (a pause that started 10 simulated minutes
 * ago must look 10 minutes old).
 */
export interface Clock {
  /** Simulated now, epoch milliseconds. */
  now(): number;
  /** Converts a simulated instant to the wire (real-time-aligned) instant. */
  toWire(simMs: number): number;
  /** Converts a wire instant (e.g. a Prometheus `time` param) to simulated time. */
  fromWire(wireMs: number): number;
  /** Moves simulated time forward (tests and the control endpoint). */
  advance(ms: number): void;
  /** The time scale. */
  readonly scale: number;
}

/** Creates a clock; `realNow` is injectable so tests need no timers. */
export function createClock(
  scale = 1,
  realNow: () => number = Date.now,
): Clock {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`SANDBOX_TIME_SCALE must be a positive number`);
  }
  const realStart = realNow();
  let offset = 0;
  const now = () => realStart + (realNow() - realStart) * scale + offset;
  return {
    scale,
    now,
    toWire: simMs => simMs - (now() - realNow()),
    fromWire: wireMs => wireMs + (now() - realNow()),
    advance: ms => {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new Error('Can only advance the clock by a positive duration');
      }
      offset += ms;
    },
  };
}

/** Formats a simulated instant as the RFC 3339 wire timestamp (seconds). */
export function wireTime(clock: Clock, simMs: number): string {
  return new Date(Math.floor(clock.toWire(simMs) / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}
