/** Thrown when the overview's overall time budget ran out. @public */
export class DeadlineExceededError extends Error {
  readonly name = 'DeadlineExceededError';
}

/**
 * Resolves like `promise`, or rejects once `deadline` (epoch ms) has passed.
 * The underlying call is not aborted: it may be shared with other callers
 * through coalescing, and its own per-call timeout ends it.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  what: string,
): Promise<T> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) {
    promise.catch(() => {});
    return Promise.reject(
      new DeadlineExceededError(`${what}: the overview's time budget ran out`),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DeadlineExceededError(
            `${what}: no answer within the overview's time budget`,
          ),
        ),
      remaining,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
