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
      /** Timeout of one Argo CD call: milliseconds, or a duration (`{ seconds: 10 }`, `PT10S`, `10s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
      /**
       * How many of the newest history entries of an application get their
       * git revision metadata (author, date, message). Default 5.
       */
      revisionMetadataCount?: number;
      /**
       * Watch the instances through Argo CD's streams
       * (`/api/v1/stream/applications` and, per Application a view read
       * lately, or read once and whose canary is in progress, its
       * `resource-tree` stream)
       * instead of reading them per view; falls back to polling where the
       * server or a proxy does not stream. `true` / `false`, or a block.
       * Default true.
       */
      watch?:
        | boolean
        | {
            /** Default true. */
            enabled?: boolean;
            /** List interval while an instance does not stream: seconds or a duration. Default 10. */
            pollIntervalSeconds?: number | { [unit: string]: number } | string;
            /** While an instance is polled, how long until streaming is tried again: seconds or a duration. Default 300. */
            streamRetrySeconds?: number | { [unit: string]: number } | string;
            /** How long a resource-tree stream stays open after a view: seconds or a duration. Default 300. */
            viewInterestSeconds?: number | { [unit: string]: number } | string;
            /**
             * How long a new Application stream may take to send what a list
             * of the same query finds before it counts as failed (a proxy
             * that buffers, or a server that never sends): seconds or a
             * duration. Default 10.
             */
            syncTimeoutSeconds?: number | { [unit: string]: number } | string;
            /**
             * Per instance name, which Applications its stream asks for
             * (Argo CD's `selector`, `projects`, `appNamespace`). Default:
             * all the token may see. Entities whose annotations ask for
             * more than the stream covers are read per view.
             */
            instances?: {
              [name: string]: {
                selector?: string;
                projects?: string[];
                appNamespace?: string;
              };
            };
          };
    };
    /**
     * Time budget of one overview in milliseconds: parts that have not
     * answered by then are reported as failed sources. Default 15000. Also
     * a duration (`{ seconds: 15 }`, `PT15S`, `15s`).
     */
    overviewTimeoutMs?: number | { [unit: string]: number } | string;
    /** Environment names in promotion order. Default: dev, staging, production. */
    environments?: string[];
    /**
     * Label of an Argo CD Application that names its environment; without
     * it, the name suffix `-<environment>` is used. Default `environment`.
     */
    environmentLabel?: string;
    /** Caching of upstream responses (Backstage CacheService). */
    cache?: {
      /**
       * TTL of live state (applications, trees, manifests), in seconds.
       * Default 10. Above 15 it also applies to SLO reads (which are
       * otherwise kept 15 s), above 30 to CI runs (otherwise 30 s). Also a
       * duration (`{ minutes: 1 }`, `PT1M`, `1m`).
       */
      ttlSeconds?: number | { [unit: string]: number } | string;
      /** TTL of git revision metadata (immutable per SHA): seconds, or a duration (`{ days: 7 }`, `P7D`, `7d`). Default 604800 (7 days). */
      revisionMetadataTtlSeconds?: number | { [unit: string]: number } | string;
      /**
       * How long a failed upstream read (a timeout, an error status, a Snyk
       * or Pod read that failed) is remembered and answered without a new
       * call: a number of seconds or a duration (`{ seconds: 5 }`, `PT5S`,
       * `5s`). Never longer than the read's own TTL; 0 turns it off.
       * Default 5 seconds.
       */
      failureTtl?: number | { [unit: string]: number } | string;
      /**
       * How long a 404 of immutable data (the metadata of a git revision)
       * is remembered: seconds or a duration. Default 10 minutes.
       */
      notFoundTtl?: number | { [unit: string]: number } | string;
    };
    /** Prometheus instances the SLO queries run on. */
    prometheus?: {
      instances: Array<{
        /** Name shown in source statuses. */
        name: string;
        /** Base URL; the HTTP API is under `<url>/api/v1`. */
        url: string;
        /**
         * Extra request headers, e.g. `Authorization: Bearer ...`.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /** Timeout of one call: milliseconds or a duration; default `delivery.prometheus.timeoutMs`. */
        timeoutMs?: number | { [unit: string]: number } | string;
        /**
         * Argo CD instances whose rollouts this Prometheus watches; empty or
         * absent = all. The first matching instance is used.
         */
        argocdInstances?: string[];
      }>;
      /** Default timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
    };
    /**
     * SLOs by name, each a PromQL template with a threshold. Placeholders
     * `{{namespace}}`, `{{service}}`, `{{podTemplateHash}}` and
     * `{{environment}}` are filled only with values that pass the Kubernetes
     * name / label rules. When absent, `error-rate` (ratio, below 0.001) and
     * `latency-p99` (seconds, below 0.5) apply.
     */
    slos?: {
      [name: string]: {
        /** PromQL template; evaluated once for the canary and once for the stable hash. */
        query: string;
        /** The SLO's limit. */
        threshold: number;
        /** `below` (default): healthy while value <= threshold; `above`: while value >= threshold. */
        comparison?: 'below' | 'above';
        /** Unit for display, e.g. `ratio` or `seconds`. */
        unit?: string;
        /** What the SLO measures, for people. */
        description?: string;
        /**
         * Id of the metrics provider that answers it (`prometheus`, or one a
         * backend module registered); its query is then in that provider's
         * language. Default: `delivery.metrics`.
         */
        provider?: string;
      };
    };
    /** Which metrics provider answers the SLOs by default. */
    metrics?: {
      /** Id of the default provider. Default `prometheus`. */
      provider?: string;
      /** Provider id per Argo CD instance name, for that instance's rollouts. */
      argocdInstances?: { [argocdInstance: string]: string };
    };
    /** Trivy JSON reports (SchemaVersion 2) by image digest. */
    trivy?: {
      /** Base URL of the report store; a report is read from `<reportStoreUrl>/<sha256:...>.json`. */
      reportStoreUrl: string;
      /**
       * Extra request headers of the report store.
       * @visibility secret
       */
      headers?: { [name: string]: string };
      /** Timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
    };
    /** Trivy Operator VulnerabilityReports read from the Argo CD resource tree. */
    trivyOperator?: {
      /** Default true. */
      enabled?: boolean;
      /** Also read its ConfigAuditReports (the IaC security layer). Default true. */
      configAudit?: boolean;
    };
    /**
     * The runtime security layer: Falco detections in the rollout's Pods,
     * read from Prometheus (Falcosidekick's or falco-exporter's events
     * counter). Absent: no runtime layer.
     */
    falco?: {
      /** Default true when the block is present. */
      enabled?: boolean;
      /** Default falcosecurity_falcosidekick_falco_events_total; falco_events for falco-exporter. */
      metric?: string;
      /** Name of a delivery.prometheus instance; default: the one watching the rollout's Argo CD instance. */
      prometheus?: string;
      /** Minutes back that detections count (the soak). Default 10. */
      windowMinutes?: number;
      /** PromQL returning a sample > 0 while Falco reports, e.g. up{job="falcosidekick"}. */
      presenceQuery?: string;
      /** A link for the runtime tile, e.g. Falcosidekick UI. */
      url?: string;
    };
    /**
     * The SAST, SCA and IaC layers from GitHub: code scanning alerts of each
     * rollout side's commit (CodeQL and any SARIF uploader; Checkov, tfsec,
     * ... and Trivy's misconfigurations are IaC) and Dependabot alerts, for
     * entities annotated `github.com/project-slug`. Hosts and credentials
     * come from `integrations.github`; they need the `security_events`
     * scope (or the code scanning and Dependabot alerts read permissions of
     * a GitHub App). Absent: no SAST/SCA layer.
     */
    githubSecurity?: {
      /** Default true when the block is present. */
      enabled?: boolean;
      /** The `integrations.github` host the annotations refer to. Default github.com. */
      host?: string;
      /** Read code scanning alerts (SAST, and IaC for the IaC tools). Default true. */
      codeScanning?: boolean;
      /** Read Dependabot alerts (SCA). Default true. */
      dependabot?: boolean;
      /** Code scanning tools (by name, any case) whose alerts are IaC. Default checkov, tfsec, kics, terrascan. */
      iacTools?: string[];
      /** Timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
      /** Most pages of 100 alerts read per list. Default 5. */
      maxPages?: number;
    };
    /** Snyk REST API: issues of the container project of each image. */
    snyk?: {
      /** REST base URL. Default https://api.snyk.io/rest */
      url?: string;
      /**
       * API token, sent as `Authorization: token ...`.
       * @visibility secret
       */
      token: string;
      /** Default organisation id; the entity's `snyk.io/org-id` wins. */
      orgId?: string;
      /** The `version` query parameter of every call. Default 2024-10-15. */
      apiVersion?: string;
      /** Timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
      /** Most pages of issues read per project. Default 10. */
      maxPages?: number;
      /**
       * Snyk Open Source (the SCA layer): the issues of the repository's
       * projects, named `<github.com/project-slug>:<manifest>` as Snyk's
       * GitHub import names them. Absent: off.
       */
      openSource?: {
        /** Default true when the block is present. */
        enabled?: boolean;
        /** Manifest paths Snyk monitors. Default [package.json]. */
        manifests?: string[];
      };
    };
    /**
     * GitHub Actions runs of the deployed commit. Hosts and credentials come
     * from `integrations.github` (as everywhere in Backstage).
     */
    github?: {
      /** Timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
      /** Set false to leave the CI stage out. Default true. */
      enabled?: boolean;
    };
    /**
     * GitLab CI pipelines of the deployed commit, for entities annotated
     * `gitlab.com/project-slug` or `gitlab.com/project-id`. Hosts and tokens
     * come from `integrations.gitlab` (as everywhere in Backstage).
     */
    gitlab?: {
      /** The `integrations.gitlab` host the annotations refer to. Default gitlab.com. */
      host?: string;
      /** Timeout of one call: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). Default 10000. */
      timeoutMs?: number | { [unit: string]: number } | string;
      /** Set false to leave GitLab CI out. Default true. */
      enabled?: boolean;
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
           * `vulnerabilities`, `security`, `slo`, `soak`, `analysis`,
           * `upstream-environment`, `in-sync`, `change-window` or
           * `canary-vs-stable` (or a kind a module registers).
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
          /**
           * security: a budget per layer (`sast`, `sca`, `image`, `runtime`,
           * `iac`); at least one. `max` per severity; `newOnly` counts only
           * findings new in the canary against stable; `onMissing` is what a
           * layer with no source configured means (`fail`, the default, or
           * `pass`).
           */
          layers?: {
            [layer: string]: {
              max: { [severity: string]: number };
              newOnly?: boolean;
              onMissing?: 'fail' | 'pass';
            };
          };
          /** slo, canary-vs-stable: name of an SLO configured under `delivery.slos`. */
          slo?: string;
          /** slo: overrides the SLO's threshold. */
          threshold?: number;
          /** slo: overrides the SLO's comparison. */
          comparison?: 'below' | 'above';
          /** slo: the canary may be at most this much worse than stable. */
          maxWorseThanStable?: number;
          /** canary-vs-stable: minutes compared, back from now (the soak). Default 10. */
          windowMinutes?: number;
          /** canary-vs-stable: significance level of the one-sided Mann-Whitney U test. Default 0.05. */
          alpha?: number;
          /** canary-vs-stable: smallest rank-biserial effect (0..1) that counts as worse. Default 0.3. */
          minEffect?: number;
          /** canary-vs-stable: fewest values per side to judge at all (else unknown). Default 8. */
          minSamples?: number;
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
      /** How long a per-rollout lock is held at most: seconds, or a duration (`{ minutes: 2 }`, `2m`); 5 s to 1 h. Default 60. */
      lockTtlSeconds?: number | { [unit: string]: number } | string;
      /**
       * Whether an action (a person's or the canary guard's) needs an Argo CD
       * Application that names the entity back: its annotation
       * `delivery.backstage.io/entity-ref` (full entity refs) or its label
       * `backstage.io/kubernetes-id` (read as `component:default/<value>`),
       * or an `ownerProjects` rule. The entity's own annotations, which find
       * the Application, are written by whoever registers the entity and
       * never bind it. Default true; false acts on every Application an
       * entity's annotations find, and logs a warning at start-up.
       */
      requireBinding?: boolean;
      /**
       * Binds, for actions, the Applications of the listed Argo CD projects
       * to every entity whose `spec.owner` is `owner`.
       */
      ownerProjects?: Array<{
        /** Full ref of the owning group or user, e.g. `group:default/team-a` (kind defaults to group). */
        owner: string;
        /** Argo CD project names. */
        projects: string[];
        /** Argo CD instance names the rule applies on; absent = all. */
        instances?: string[];
      }>;
    };
    /** DORA figures (GET /entities/:ref/dora) and the deployment history behind them. */
    dora?: {
      /** How long a computed response is reused, per caller: seconds, or a duration (`{ minutes: 5 }`, `5m`). Default 60; 0 disables. */
      cacheTtlSeconds?: number | { [unit: string]: number } | string;
      /**
       * Minutes between two runs of the recorder, which saves every
       * delivery-annotated entity's Argo CD history (Argo CD keeps about ten
       * entries). Default 10; 0 disables (overviews still record). Also a
       * duration (`{ hours: 1 }`, `PT1H`, `1h`).
       */
      recordIntervalMinutes?: number | { [unit: string]: number } | string;
    };
    /** The audit trail of rollout actions. */
    audit?: {
      /**
       * Off when absent. A scheduled task (one replica per run) moves audit
       * records older than `archiveAfterDays` into the archive table
       * `delivery_audit_records_archive`, each batch in one transaction.
       * The plugin never deletes audit data; the audit route lists the live
       * table only.
       */
      retention?: {
        /** Records created more than this many days ago are archived. At least 1. */
        archiveAfterDays: number;
        /**
         * How often the task runs: a duration (`{ hours: 24 }`, `P1D`, `1d`)
         * or `{ cron: '0 3 * * *' }`. Default once a day.
         */
        frequency?: { [unit: string]: number } | string | { cron: string };
      };
    };
    /** Live updates of open Delivery tabs and cards. */
    live?: {
      /**
       * Change signals: when an entity's delivery view changes (an Argo CD
       * sync, health, a canary step, a weight, an analysis result, a new
       * audit record), the backend publishes a Backstage signal
       * `delivery:entity:<entity ref>` that only says "changed"; open tabs
       * refetch through the permission-checked routes. Needs the signals
       * backend plugin (and, across replicas on PostgreSQL, the events
       * backend plugin); without them nothing is delivered and the tabs
       * keep polling.
       */
      signals?: {
        /** Default true. */
        enabled?: boolean;
        /**
         * Shortest time between two signals of one entity: the first
         * change is published at once, what follows within the window once
         * at its end. Milliseconds or a duration (`{ milliseconds: 500 }`,
         * `500ms`); 0 publishes every change. Default 500 ms.
         */
        coalesce?: number | { [unit: string]: number } | string;
        /**
         * How long the list of entities with `argocd/app-name` (which
         * maps a changed Application to its entities) is used before it is
         * read again: seconds or a duration. Default 60 s.
         */
        entityRefresh?: number | { [unit: string]: number } | string;
      };
    };
    /**
     * The fleet page (`GET /api/delivery/v1/fleet`) and its System and
     * Group cards.
     * @visibility backend
     */
    fleet?: {
      /**
       * How long a request waits for its cells' signals (SLO, scans, CI,
       * policy) before it answers with the rows not done yet saying
       * "signals computing" (their computation goes on for a later
       * refresh): milliseconds or a duration (`{ seconds: 2 }`, `PT2S`,
       * `2s`); 0 does not wait. Default 2000.
       * @visibility backend
       */
      signalsWaitMs?: number | { [unit: string]: number } | string;
      /**
       * How many entities' signals are computed at a time, per backend
       * replica: a whole number from 1 to 64. Default 8.
       * @visibility backend
       */
      signalsConcurrency?: number;
      /**
       * How long an entity's last computed signals are kept and shown (as
       * such, with their time) while newer ones are computed: seconds or a
       * duration (`{ minutes: 15 }`, `PT15M`, `15m`). Default 900.
       * @visibility backend
       */
      lastSignalsTtlSeconds?: number | { [unit: string]: number } | string;
      /**
       * How long an entity's DORA bands (read from the recorded deployment
       * history) are reused: seconds or a duration. Default 60.
       * @visibility backend
       */
      doraTtlSeconds?: number | { [unit: string]: number } | string;
    };
    /** The canary guard: aborts progressing canaries whose SLO gates fail. */
    guard?: {
      /** Opt in. Default false. */
      enabled?: boolean;
      /** Seconds between two evaluations, or a duration (`{ minutes: 1 }`, `1m`); 1 s to 1 h. Default 30. */
      intervalSeconds?: number | { [unit: string]: number } | string;
      /**
       * Entity state loads, and SLO evaluations, a tick runs at a time.
       * Default 4.
       */
      concurrency?: number;
      /**
       * Longest a tick waits for one entity's state, and for one Rollout's
       * SLO evaluation, before it reports the entity and moves on: a
       * duration (`{ seconds: 10 }`, `PT10S`, `10s`). Default a third of the
       * interval, at least 2 seconds and at most 60.
       */
      entityDeadline?: { [unit: string]: number } | string;
    };
  };

  /**
   * The `argocd:` block of the Roadie and community Argo CD plugins, read by
   * Delivery (and its scaffolder module) when `delivery.argocd` is absent.
   * Declared here, with the credentials secret, for apps that keep the
   * block without installing those plugins. Only the keys Delivery reads.
   */
  argocd?: {
    /** Default user name of the instances that name none. */
    username?: string;
    /**
     * Default password of the instances that name none.
     * @visibility secret
     */
    password?: string;
    appLocatorMethods?: Array<{
      /** `config` in the Roadie and community plugins. */
      type?: string;
      instances?: Array<{
        /** Name that entities refer to in `argocd/instance-name`. */
        name: string;
        /** Base URL of the Argo CD API server. */
        url: string;
        /**
         * Bearer token of an Argo CD account.
         * @visibility secret
         */
        token?: string;
        /** User name, exchanged once for a session token. */
        username?: string;
        /**
         * Password for `username`.
         * @visibility secret
         */
        password?: string;
        /** Link to the Argo CD UI, when it differs from `url`. */
        frontendUrl?: string;
      }>;
    }>;
  };
}
