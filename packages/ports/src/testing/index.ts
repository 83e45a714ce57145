// In-memory implementations of every port, for tests and the embedded default. Filled in by the
// in-memory implementation work of issue #2; exported from `@neurocipher/seg-ports/testing`.
export {};
