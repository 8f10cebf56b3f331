// The error pages say what happened in plain words, offer "Try again", and leak nothing of the
// error itself (message, stack) but the digest Next.js gives server errors.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import ErrorPage from "./error";
import GlobalError from "./global-error";

function failure(): Error {
  const error = new Error("connect ECONNREFUSED 10.0.0.7:5432 password=hunter2") as Error & { digest?: string };
  error.stack = "Error: boom\n    at listTenants (/srv/hearth/src/server/admin/list-tenants.ts:42:11)";
  error.digest = "2718281828";
  return error;
}

const retry = () => {};

for (const [name, Page] of [["error.tsx", ErrorPage], ["global-error.tsx", GlobalError]] as const) {
  describe(name, () => {
    it("says something went wrong, offers to try again and links home", () => {
      const html = renderToStaticMarkup(createElement(Page, { error: failure(), retry }));
      expect(html).toContain("<h1 id=\"error-heading\">Something went wrong</h1>");
      expect(html).toMatch(/<button type="button">Try again<\/button>/);
      expect(html).toContain('href="/"');
    });

    it("shows the digest as a reference and nothing of the message or stack", () => {
      const html = renderToStaticMarkup(createElement(Page, { error: failure(), retry }));
      expect(html).toContain("2718281828");
      for (const leak of ["ECONNREFUSED", "10.0.0.7", "hunter2", "listTenants", "/srv/hearth", "boom"]) expect(html).not.toContain(leak);
    });

    it("copes with a thrown value that is not an Error", () => {
      const html = renderToStaticMarkup(createElement(Page, { error: "a string with /etc/secrets", retry }));
      expect(html).toContain("Try again");
      expect(html).not.toContain("/etc/secrets");
      expect(html).not.toContain("quoting the reference");
    });
  });
}

it("global-error.tsx brings its own document", () => {
  const html = renderToStaticMarkup(createElement(GlobalError, { error: failure(), retry }));
  expect(html).toMatch(/^<html lang="en">.*<body><header class="site-header">/);
  expect(html).toContain("<title>Something went wrong · Hearth</title>");
});
