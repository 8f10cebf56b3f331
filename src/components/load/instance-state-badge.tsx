// The instance's state in plain words ("Under heavy load", "Down"), for any page.
import type { InstanceState } from "@/server/metrics/instance-state";

export function InstanceStateBadge({ state, sentence = false }: { state: InstanceState | null; sentence?: boolean }) {
  if (!state) return null;
  if (sentence) {
    return (
      <p className={`load-state load-state-${state.tone}`} role={state.tone === "ok" ? undefined : "status"}>
        {state.sentence}
      </p>
    );
  }
  return <span className={`status load-state-${state.tone}`}>{state.label}</span>;
}
