/** Exit status: clean run. */
export const EXIT_OK = 0;
/** Exit status: findings reach `--fail-on`. */
export const EXIT_FINDINGS = 1;
/** Exit status: usage or config error, or any failure before a verdict. */
export const EXIT_USAGE = 2;
