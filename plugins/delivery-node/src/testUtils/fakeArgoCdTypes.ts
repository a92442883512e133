import type { ArgoCdSwagger } from './contract';

/** A fault a fake Argo CD instance (or some of its routes) shows. @public */
export type FakeArgoCdFault =
  /** Answers this status with this body (default: an HTML error page). */
  | { kind: 'status'; status: number; body?: string }
  /** Answers 504 after this many milliseconds. */
  | { kind: 'hang'; ms: number }
  /** The connection fails. */
  | { kind: 'network' }
  /** A 200 whose JSON body is cut short. */
  | { kind: 'malformed' };

/** An Application as the fake stores it (swagger `v1alpha1Application`). @public */
export interface FakeArgoCdApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: { project?: string; [key: string]: unknown };
  status?: unknown;
}

/** An AppProject as the fake stores it (swagger `v1alpha1AppProject`). @public */
export interface FakeArgoCdProject {
  metadata: { name: string; [key: string]: unknown };
  spec: Record<string, unknown>;
}

/** The state of one fake Argo CD instance. @public */
export interface FakeArgoCdOptions {
  /** Base URL of the instance, e.g. `http://argocd.test/argocd`. */
  baseUrl: string;
  /** Name of the instance in the recorded calls (default: the base URL). */
  name?: string;
  /**
   * The Argo CD swagger to check requests against (operations, query
   * parameters, request bodies). Without it nothing is checked.
   */
  contract?: ArgoCdSwagger;
  /**
   * Bearer tokens the instance accepts. Without tokens and users, any
   * caller is accepted.
   */
  tokens?: string[];
  /** username to password, accepted by `POST /api/v1/session`. */
  users?: Record<string, string>;
  /** The token a login returns (default: `session-token-<n>`). */
  sessionToken?: string | ((n: number) => string);
  projects?: FakeArgoCdProject[];
  applications?: FakeArgoCdApplication[];
  /** Resource trees by application name. */
  trees?: Record<string, unknown>;
  /** Live objects by {@link fakeArgoCdResourceKey}. */
  resources?: Record<string, object>;
  /** Resource actions by {@link fakeArgoCdResourceKey}. */
  actions?: Record<string, Array<{ name: string; disabled: boolean }>>;
  /** Revision metadata by revision. */
  metadata?: Record<string, object>;
  /** Faults by a regex on `METHOD path` (path without the base URL's). */
  faults?: Array<{ match: RegExp; fault: FakeArgoCdFault }>;
}

/** One request a fake Argo CD received. @public */
export interface FakeArgoCdCall {
  /** The instance's name (FakeArgoCdOptions.name), or its base URL. */
  instance: string;
  method: string;
  /** The path below the base URL. */
  path: string;
  search: string;
  authorization?: string;
  /** The parsed JSON body of a request other than GET. */
  body?: unknown;
}

/**
 * Key of a live object in FakeArgoCdOptions.resources and actions.
 *
 * @public
 */
export function fakeArgoCdResourceKey(
  app: string,
  kind: string,
  namespace: string,
  name: string,
): string {
  return `${app}/${kind}/${namespace}/${name}`;
}
