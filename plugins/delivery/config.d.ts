export interface Config {
  delivery?: {
    /** Settings of the Delivery frontend plugin. */
    ui?: {
      /**
       * Seconds between refreshes of the Delivery tab and card while a
       * rollout progresses, where the signals plugin is not installed
       * (default 15). Refreshing pauses while the browser tab is hidden and
       * backs off after errors; each refresh is conditional (an unchanged
       * view answers 304).
       * @visibility frontend
       */
      pollIntervalSeconds?: number;
      /**
       * Where the signals plugin is installed, the tab and card refetch as
       * soon as the backend signals a change of the entity's view, and poll
       * only every this many seconds while a rollout progresses, in case a
       * signal is lost (default 60; never more often than
       * pollIntervalSeconds).
       * @visibility frontend
       */
      livePollIntervalSeconds?: number;
    };
  };
}
