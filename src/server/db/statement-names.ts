// Names for Prisma's statements (the pg adapter's statementNameGenerator, client.ts). A statement
// with parameters is sent named, so PostgreSQL parses it once per connection and, after a few
// runs, plans it once too (its generic plan): planning was most of PostgreSQL's work for the
// Stripe event worker's statements and for the pages' reads. Names belong to one process, as
// the connections of its pool do. A statement without parameters keeps the simple protocol,
// which allows several commands in one text (BEGIN and COMMIT cost nothing to parse). The texts
// named are bounded, as each one stays prepared on every connection that ran it: past the bound
// (texts built at run time, such as IN lists of every length) a text is sent unnamed, as before.

export type StatementNamer = (query: { sql: string; args: unknown[] }) => string | undefined;

export function statementNamer(maxNamed = 1_000): StatementNamer {
  const names = new Map<string, string>();
  return ({ sql, args }) => {
    if (args.length === 0) return undefined;
    let name = names.get(sql);
    if (name === undefined && names.size < maxNamed) {
      name = `prisma_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
}
