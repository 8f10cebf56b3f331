import { endSessionAction, signOutEverywhereAction } from "@/server/auth/account-actions";
import { ActionButton } from "@/components/dashboard/action-button";
import type { SessionView } from "@/server/auth/account-overview";
import { DataTable } from "@/components/table/data-table";

const when = (date: Date) => date.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  return (
    <>
      <DataTable
        caption="Sessions"
        rows={sessions}
        rowKey={(session) => session.id}
        columns={[
          {
            header: "Browser",
            cell: (session) => (
              <>
                {session.browser}
                {session.current ? <strong> (this browser)</strong> : null}
              </>
            ),
          },
          { header: "Address", cell: (session) => session.address },
          { header: "Signed in", cell: (session) => `${when(session.createdAt)} with ${session.method}` },
          { header: "Last active", cell: (session) => when(session.lastSeenAt) },
          {
            header: "Actions",
            hiddenHeader: true,
            cell: (session) => (
              <ActionButton
                action={endSessionAction}
                fields={{ session: session.id }}
                label="Sign out"
                accessibleLabel={`Sign out ${session.current ? "this browser" : `${session.browser} at ${session.address}`}`}
              />
            ),
          },
        ]}
      />
      <ActionButton action={signOutEverywhereAction} fields={{}} label="Sign out everywhere" />
    </>
  );
}
