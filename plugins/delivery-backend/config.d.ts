export interface Config {
  /** Configuration of the Delivery plugins. */
  delivery?: {
    /** Argo CD instances the backend may call. */
    argocd?: {
      instances: Array<{
        /** Name that entities refer to in `argocd/instance-name`. */
        name: string;
        /** Base URL of the Argo CD API server, e.g. https://argocd.example.com */
        url: string;
        /**
         * Bearer token of an Argo CD account or project role.
         * @visibility secret
         */
        token?: string;
        /** User name, exchanged once for a session token (when no token is set). */
        username?: string;
        /**
         * Password for `username`.
         * @visibility secret
         */
        password?: string;
        /** Link to the Argo CD UI, when it differs from `url`. */
        frontendUrl?: string;
      }>;
      /** Timeout of one Argo CD call, in milliseconds. Default 10000. */
      timeoutMs?: number;
    };
    /** Environment names in promotion order. Default: dev, staging, production. */
    environments?: string[];
  };
}
