export {};

// Tests here start whole test backends (and real Prometheus / PostgreSQL in
// the integration suites); on a loaded 2-core CI machine 5 s is too tight.
jest.setTimeout(60_000);
