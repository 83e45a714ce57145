// Filled in by the conformance kit work (issue #4).
export {};
