// Filled in by the AWS adapter work (issue #4).
export {};
