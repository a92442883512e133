import { ResponseError } from '@backstage/errors';
import type { TypedResponse } from './generated';

/** How many bodies are kept for revalidation (entities viewed lately). */
const MAX_HELD = 32;

/**
 * The last body and ETag of each resource the client fetched, so that a
 * refetch sends `If-None-Match` and a 304 (nothing changed) answers with
 * the body already held: no body crosses the network, and the caller gets
 * the very same object (React sees no change).
 */
export class ConditionalBodies<T> {
  private readonly held = new Map<string, { etag: string; body: T }>();

  async fetch(
    key: string,
    send: (etag: string | undefined) => Promise<TypedResponse<T>>,
  ): Promise<T> {
    const held = this.held.get(key);
    const response = await send(held?.etag);
    if (response.status === 304 && held) {
      // most recently used last, so the oldest is dropped first
      this.held.delete(key);
      this.held.set(key, held);
      return held.body;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response as Response);
    }
    const body = await response.json();
    const etag = response.headers.get('ETag');
    this.held.delete(key);
    if (etag) {
      this.held.set(key, { etag, body });
      if (this.held.size > MAX_HELD) {
        this.held.delete(this.held.keys().next().value as string);
      }
    }
    return body;
  }
}
