export * from './usePolling';
export * from './useDeliveryOverview';
export * from './useEnvironmentData';
