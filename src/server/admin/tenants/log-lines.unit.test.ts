// Lines of a container's output as live logs send them: cut at newlines wherever the chunks
// break, bounded in length, and written as Server-Sent Events.
import { describe, expect, it } from "vitest";
import { lineSplitter, sseEvent } from "./log-lines";

function split(chunks: string[], maxLine?: number): string[] {
  const lines: string[] = [];
  const splitter = lineSplitter((line) => lines.push(line), maxLine);
  for (const chunk of chunks) splitter.write(Buffer.from(chunk));
  splitter.flush();
  return lines;
}

describe("lineSplitter", () => {
  it("cuts at newlines across chunk boundaries and drops a trailing carriage return", () => {
    expect(split(["one\ntw", "o\r\nthr", "ee"])).toEqual(["one", "two", "three"]);
    expect(split(["a\n\nb\n"])).toEqual(["a", "", "b"]);
  });

  it("sends nothing more at the end when the output ended with a newline", () => {
    expect(split(["done\n"])).toEqual(["done"]);
  });

  it("bounds every line, ended or not", () => {
    expect(split(["abcdefgh\n"], 5)).toEqual(["abcde"]);
    // An unended line longer than the bound is sent cut; what was past the cut in that chunk is dropped.
    expect(split(["abcdefgh", "ij\n"], 5)).toEqual(["abcde", "ij"]);
  });
});

describe("sseEvent", () => {
  it("writes the event's name and its data as one JSON line, ended by a blank line", () => {
    expect(sseEvent("line", { c: "web", t: "a\nb" })).toBe('event: line\ndata: {"c":"web","t":"a\\nb"}\n\n');
  });
});
