// The recorded upstream payloads and the Argo CD contract live in the
// repository's delivery-test-data package (packages/test-data).
export { argocdSwagger, jsonFixture, yamlFixture } from 'delivery-test-data';
