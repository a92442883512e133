/** The sandbox's upstream call counters (`GET /sandbox/stats`). */
export interface SandboxStats {
  since: string;
  total: number;
  upstreams: Record<string, { total: number; routes: Record<string, number> }>;
}

/** Control calls of the benchmark's sandbox. */
export class SandboxClient {
  constructor(readonly url: string) {}

  /** Zeroes the counters. */
  async resetStats(): Promise<void> {
    const res = await fetch(`${this.url}/sandbox/stats/reset`, {
      method: 'POST',
    });
    if (!res.ok) throw new Error(`stats reset failed: ${res.status}`);
  }

  /** The counters since the last reset. */
  async stats(): Promise<SandboxStats> {
    const res = await fetch(`${this.url}/sandbox/stats`);
    if (!res.ok) throw new Error(`stats failed: ${res.status}`);
    return (await res.json()) as SandboxStats;
  }

  /** Moves the simulated world forward (`POST /sandbox/clock/advance`). */
  async advance(seconds: number): Promise<void> {
    const res = await fetch(`${this.url}/sandbox/clock/advance`, {
      method: 'POST',
      body: JSON.stringify({ seconds }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`clock advance failed: ${res.status}`);
  }

  /** Starts a service's release again (`POST /sandbox/scenario`). */
  async scenario(service: string, scenario: string): Promise<void> {
    const res = await fetch(`${this.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service, scenario }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`scenario failed: ${res.status}`);
  }
}
