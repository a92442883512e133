/** A promotion policy a template or a person may pick. @public */
export interface DeliveryPolicyChoice {
  name: string;
  description?: string;
  /** The policy of entities that name none. */
  isDefault: boolean;
}

/** A configured Argo CD instance, by the name annotations use. @public */
export interface DeliveryArgoCdInstanceChoice {
  name: string;
}

/**
 * What the backend is configured with and a scaffolder template may choose
 * from (`GET /api/delivery/v1/choices`): names only, never URLs or secrets.
 *
 * @public
 */
export interface DeliveryChoices {
  policies: DeliveryPolicyChoice[];
  argocdInstances: DeliveryArgoCdInstanceChoice[];
}
