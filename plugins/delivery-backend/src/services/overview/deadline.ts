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

/**
 * How an overview's time budget is shared: each Argo CD instance has the
 * first half to list and read its applications, independently of the other
 * instances; each contributor (signal source, policy) then has the rest
 * from when it starts, independently of the other contributors. So a
 * hanging upstream costs at most its own share, never another's.
 */
export function overviewBudget(totalMs: number): {
  argocdMs: number;
  contributorMs: number;
} {
  const argocdMs = Math.floor(totalMs / 2);
  return { argocdMs, contributorMs: totalMs - argocdMs };
}
