// Text that people type and others see (names): characters that make it read differently
// from what it is are refused. Bidi controls can reverse "gro.elpmaxe" into a lookalike, and
// zero-width characters hide inside an otherwise familiar name.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const CONTROL = /\p{Cc}/u;

export const BIDI_MESSAGE = "Remove the invisible text-direction characters (right-to-left overrides and similar).";

/** True when `value` holds a bidirectional control character (U+202E and its family). */
export function hasBidiControls(value: string): boolean {
  return BIDI_CONTROLS.test(value);
}

/** True when `value` holds a C0/C1 control character (newline, tab, NUL...). */
export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}
