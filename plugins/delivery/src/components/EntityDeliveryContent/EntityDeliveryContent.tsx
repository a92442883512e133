import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  isDeliveryAvailable,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { deliveryApiRef } from '../../api';

/**
 * The Delivery tab of an entity page.
 *
 * @public
 */
export function EntityDeliveryContent() {
  const { entity } = useEntity();
  const api = useApi(deliveryApiRef);
  const available = isDeliveryAvailable(entity);
  const { value, loading, error } = useAsync(
    async () =>
      available ? api.getAnnotations(getCompoundEntityRef(entity)) : undefined,
    [api, entity, available],
  );

  if (!available) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          ANNOTATION_ARGOCD_APP_NAME,
          ANNOTATION_ARGOCD_APP_SELECTOR,
        ]}
      />
    );
  }
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const { annotations } = value;
  return (
    <Grid container spacing={3}>
      {value.warnings.map(w => (
        <Grid item xs={12} key={w}>
          <Alert severity="warning">{w}</Alert>
        </Grid>
      ))}
      <Grid item xs={12} md={6}>
        <InfoCard title="Delivery configuration">
          <StructuredMetadataTable
            metadata={{
              'Argo CD application': annotations.appName ?? '—',
              'Application selector': annotations.appSelector ?? '—',
              'Argo CD instances': annotations.instances.length
                ? annotations.instances.join(', ')
                : 'all configured',
              'Application namespace': annotations.appNamespace ?? 'default',
              Projects: annotations.projects.join(', ') || 'any',
              Policy: annotations.policy ?? 'default',
            }}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
