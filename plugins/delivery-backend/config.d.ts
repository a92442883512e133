export interface Config {
  /** Configuration of the Delivery plugins. */
  delivery?: {
    /**
     * Argo CD instances the backend may call. When absent, the `argocd:`
     * block of the Roadie and community Argo CD plugins is read instead
     * (`argocd.appLocatorMethods[].instances[]`, `argocd.username`,
     * `argocd.password`).
     */
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
        /**
         * User name, exchanged once for a session token that is cached until
         * shortly before it expires (when no token is set).
         */
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
      /**
       * How many of the newest history entries of an application get their
       * git revision metadata (author, date, message). Default 5.
       */
      revisionMetadataCount?: number;
    };
    /**
     * Time budget of one overview in milliseconds: parts that have not
     * answered by then are reported as failed sources. Default 15000.
     */
    overviewTimeoutMs?: number;
    /** Environment names in promotion order. Default: dev, staging, production. */
    environments?: string[];
    /**
     * Label of an Argo CD Application that names its environment; without
     * it, the name suffix `-<environment>` is used. Default `environment`.
     */
    environmentLabel?: string;
    /** Caching of upstream responses (Backstage CacheService). */
    cache?: {
      /** TTL of live state (applications, trees, manifests), in seconds. Default 10. */
      ttlSeconds?: number;
      /** TTL of git revision metadata (immutable per SHA), in seconds. Default 604800 (7 days). */
      revisionMetadataTtlSeconds?: number;
    };
    /**
     * Named promotion policies. An entity chooses one with the annotation
     * `delivery.backstage.io/policy`, which may only name a policy configured
     * here (or the built-in `default`). A policy is an ordered list of gates;
     * promotion is allowed only when every gate passes.
     */
    policies?: {
      [name: string]: {
        /** What the policy is for, shown to people. */
        description?: string;
        /** Gates in evaluation order. */
        gates: Array<{
          /**
           * `vulnerabilities`, `slo`, `soak`, `analysis`,
           * `upstream-environment`, `in-sync` or `change-window`.
           */
          kind: string;
          /** Name shown in results; defaults to the kind. Unique per policy. */
          name?: string;
          /** What an unknown result means: `fail` (default) or `pass`. */
          onUnknown?: 'fail' | 'pass';
          /** vulnerabilities: maximum findings per severity (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN). */
          max?: { [severity: string]: number };
          /** vulnerabilities: count only findings that have a fix. Default false. */
          onlyFixable?: boolean;
          /** slo: name of an SLO configured under `delivery.slos`. */
          slo?: string;
          /** slo: overrides the SLO's threshold. */
          threshold?: number;
          /** slo: overrides the SLO's comparison. */
          comparison?: 'below' | 'above';
          /** slo: the canary may be at most this much worse than stable. */
          maxWorseThanStable?: number;
          /** soak: minimum minutes at the current step. */
          minutes?: number;
          /** change-window: IANA time zone of the windows, e.g. Europe/Berlin. */
          timeZone?: string;
          /**
           * change-window: freeze windows; either `start`/`end`
           * (`YYYY-MM-DDTHH:mm`, local) or `days` (mon..sun) with `from`/`to` (`HH:mm`).
           */
          freezes?: Array<{
            name: string;
            start?: string;
            end?: string;
            days?: string[];
            from?: string;
            to?: string;
          }>;
        }>;
      };
    };
    /** Policy for entities without the policy annotation. Default: the built-in `default`. */
    defaultPolicy?: string;
    /** Rollout actions (promote, promote-full, abort, retry). */
    actions?: {
      /** How long a per-rollout lock is held at most, in seconds. Default 60. */
      lockTtlSeconds?: number;
    };
    /** The canary guard: aborts progressing canaries whose SLO gates fail. */
    guard?: {
      /** Opt in. Default false. */
      enabled?: boolean;
      /** Seconds between two evaluations. Default 30. */
      intervalSeconds?: number;
    };
  };
}
