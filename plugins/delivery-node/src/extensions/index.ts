export * from './entity';
export * from './scanners';
export * from './gateKinds';
export * from './metricsProviders';
export * from './ciProviders';
export * from './overview';
