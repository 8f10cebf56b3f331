import { endSessionAction, signOutEverywhereAction } from "@/server/auth/account-actions";
import { ActionButton } from "@/components/dashboard/action-button";
import type { SessionView } from "@/server/auth/account-overview";

const when = (date: Date) => date.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  return (
    <>
      <table aria-label="Sessions">
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td>
                {session.browser}
                {session.current ? <strong> (this browser)</strong> : null}
              </td>
              <td>{session.address}</td>
              <td>
                {when(session.createdAt)} with {session.method}
              </td>
              <td>{when(session.lastSeenAt)}</td>
              <td>
                <ActionButton
                  action={endSessionAction}
                  fields={{ session: session.id }}
                  label="Sign out"
                  accessibleLabel={`Sign out ${session.current ? "this browser" : `${session.browser} at ${session.address}`}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionButton action={signOutEverywhereAction} fields={{}} label="Sign out everywhere" />
    </>
  );
}
