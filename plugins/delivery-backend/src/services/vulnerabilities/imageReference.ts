/** An image reference split into its parts. @public */
export interface ImageReference {
  /** Registry and repository, e.g. `ghcr.io/acme/checkout`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` when the reference is pinned. */
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True for a `sha256:<64 lowercase hex>` digest. @public */
export function isValidDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/**
 * Parses `repo[:tag][@sha256:...]`. A port in the registry host
 * (`host:5000/repo`) is not mistaken for a tag.
 */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const candidate = rest.slice(at + 1);
    digest = isValidDigest(candidate) ? candidate : undefined;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    return {
      repository: rest.slice(0, colon),
      tag: rest.slice(colon + 1),
      digest,
    };
  }
  return { repository: rest, digest };
}

/** The reference without its digest, e.g. to look up a Snyk project by name. @public */
export function imageName(ref: ImageReference): string {
  return ref.tag ? `${ref.repository}:${ref.tag}` : ref.repository;
}

/**
 * The digest in a container status `imageID`, e.g.
 * `docker-pullable://ghcr.io/acme/app@sha256:...` or `sha256:...`.
 */
export function digestFromImageId(imageId: unknown): string | undefined {
  if (typeof imageId !== 'string') return undefined;
  const match = /(sha256:[a-f0-9]{64})$/.exec(imageId);
  return match?.[1];
}
