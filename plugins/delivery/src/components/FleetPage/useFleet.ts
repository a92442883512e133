import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import type { FleetResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../../api';

/** The filters of one fleet request; owner `mine` is resolved here. */
export interface FleetRequest {
  owner: 'mine' | 'all' | string[];
  system?: string[];
  lifecycle?: string[];
  state?: string[];
}

/** The backend accepts at most 20 values per filter. */
const MAX_VALUES = 20;

const join = (values: string[] | undefined) =>
  values && values.length ? values.slice(0, MAX_VALUES).join(',') : undefined;

/** Loads the fleet matrix for the filters (the caller's own groups for `mine`). */
export function useFleet(request: FleetRequest) {
  const api = useApi(deliveryApiRef);
  const identityApi = useApi(identityApiRef);
  const key = JSON.stringify(request);
  const stable = useMemo(() => JSON.parse(key) as FleetRequest, [key]);
  return useAsyncRetry(async (): Promise<FleetResponse> => {
    let owners: string[] | undefined;
    if (stable.owner === 'mine') {
      owners = (await identityApi.getBackstageIdentity()).ownershipEntityRefs;
    } else if (stable.owner !== 'all') {
      owners = stable.owner;
    }
    return api.getFleet({
      owner: join(owners),
      system: join(stable.system),
      lifecycle: join(stable.lifecycle),
      state: join(stable.state),
    });
  }, [api, identityApi, stable]);
}
