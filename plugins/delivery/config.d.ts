export interface Config {
  delivery?: {
    /** Settings of the Delivery frontend plugin. */
    ui?: {
      /**
       * Seconds between refreshes of the Delivery tab and card while a
       * rollout progresses (default 15). Refreshing pauses while the browser
       * tab is hidden and backs off after errors.
       * @visibility frontend
       */
      pollIntervalSeconds?: number;
    };
  };
}
