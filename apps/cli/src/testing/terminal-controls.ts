// What a terminal acts on instead of showing, for tests of the human formats (independent of the filter).

const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f], // C0
  [0x7f, 0x9f], // DEL, C1
  [0x061c, 0x061c], // Arabic letter mark
  [0x200e, 0x200f], // LRM, RLM
  [0x2028, 0x202e], // line and paragraph separators, LRE … RLO
  [0x2066, 0x2069], // LRI … PDI
];

/** The characters of `text` a terminal would act on (control, separator, bidi), `\n` excepted. */
export function terminalControls(text: string): string[] {
  return [...text].filter((c) => {
    const code = c.codePointAt(0) as number;
    return c !== '\n' && RANGES.some(([from, to]) => code >= from && code <= to);
  });
}
