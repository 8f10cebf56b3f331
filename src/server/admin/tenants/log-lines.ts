// The text side of live logs, pure: a container's output cut into lines of bounded length, and
// each line as one Server-Sent Event.

/** Longest line sent; a longer one is cut (and what is past the cut of an unended line dropped). */
export const MAX_LINE = 8 * 1024;

/**
 * Cuts a byte stream into lines (a trailing \r dropped), each at most `maxLine` characters.
 * `flush` sends what is left when the stream ends without a final newline.
 */
export function lineSplitter(onLine: (line: string) => void, maxLine = MAX_LINE) {
  let rest = "";
  return {
    write(chunk: Buffer) {
      rest += chunk.toString("utf8");
      let at: number;
      while ((at = rest.indexOf("\n")) >= 0) {
        onLine(rest.slice(0, at).replace(/\r$/, "").slice(0, maxLine));
        rest = rest.slice(at + 1);
      }
      if (rest.length > maxLine) {
        onLine(rest.slice(0, maxLine));
        rest = "";
      }
    },
    flush() {
      if (rest) onLine(rest.slice(0, maxLine));
      rest = "";
    },
  };
}

/** One Server-Sent Event: its name and its data as one line of JSON. */
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
