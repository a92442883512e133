import { createHash } from 'node:crypto';

function hex(algorithm: string, input: string) {
  return createHash(algorithm).update(input).digest('hex');
}

/** A deterministic git commit SHA for a service version. */
export function commitSha(service: string, version: string): string {
  return hex('sha1', `commit:${service}@${version}`);
}

/** A deterministic image digest (`sha256:<64 hex>`). */
export function imageDigest(repository: string, tag: string): string {
  return `sha256:${hex('sha256', `image:${repository}:${tag}`)}`;
}

// Kubernetes' SafeEncodeString alphabet: no vowels, no confusable digits.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A deterministic 10-character pod-template-hash like the controller's. */
export function podTemplateHash(seed: string): string {
  const bytes = createHash('sha256').update(`pth:${seed}`).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += SAFE[bytes[i] % SAFE.length];
  return out;
}

/** A deterministic 5-character pod name suffix. */
export function podSuffix(seed: string): string {
  return podTemplateHash(seed).slice(0, 5);
}

/** A deterministic Kubernetes UID. */
export function uid(seed: string): string {
  const h = hex('sha256', `uid:${seed}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** A deterministic number in [0, 1) for jitter. */
export function unitNoise(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}
