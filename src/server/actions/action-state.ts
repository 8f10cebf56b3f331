// What every form action returns to useActionState: a message, an error per field, and the
// values the person typed (never passwords or tokens), so the form shows them again.
export type ActionState = {
  status: "idle" | "ok" | "error";
  message?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
  data?: Record<string, string>;
};

export const idleState: ActionState = { status: "idle" };
