// The organiser's invite codes for the community's Bluesky PDS: the form that makes one and the
// codes the PDS holds (read from it through Hearth, which alone has its admin password), each
// with what it has made and a button that stops it. A PDS that does not answer leaves the form
// usable and says the list could not be read.
import type { Actor } from "@/server/auth/permissions";
import { AppError } from "@/server/errors/app-error";
import { listPdsInvitesAs, type PdsInvite } from "@/server/provisioning/pds-invites";
import { disablePdsInviteAction } from "@/server/provisioning/actions";
import { ActionButton } from "@/components/dashboard/action-button";
import { DataTable } from "@/components/table/data-table";
import { PdsInviteForm } from "./pds-invite-form";
import { PdsSignUpForm } from "./pds-sign-up-form";

const day = (iso: string) => iso.slice(0, 10);

function status(invite: PdsInvite): string {
  if (invite.disabled) return "Disabled";
  if (invite.available - invite.used <= 0) return "Used up";
  return `${invite.available - invite.used} left`;
}

export async function PdsInvites({ actor, slug, domain, openSignUp }: { actor: Actor; slug: string; domain: string; openSignUp: boolean }) {
  let invites: PdsInvite[] | null = null;
  let problem: string | null = null;
  try {
    invites = await listPdsInvitesAs(actor, slug);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error.message;
  }
  return (
    <PdsInviteForm slug={slug} domain={domain} openSignUp={openSignUp}>
      {problem ? <p role="status">The codes could not be read just now. {problem}</p> : null}
      {invites && invites.length === 0 ? <p className="hint">No codes yet.</p> : null}
      {invites && invites.length > 0 ? (
        <DataTable
          caption="Invite codes"
          rows={invites}
          rowKey={(invite) => invite.code}
          columns={[
            { header: "Code", cell: (invite) => <code className="mono">{invite.code}</code> },
            { header: "Accounts made", cell: (invite) => `${invite.used} of ${invite.available}` },
            { header: "Made on", cell: (invite) => day(invite.createdAt) },
            { header: "Status", cell: status },
            {
              header: "Actions",
              hiddenHeader: true,
              cell: (invite) =>
                invite.disabled || invite.available - invite.used <= 0 ? null : (
                  <ActionButton action={disablePdsInviteAction} fields={{ community: slug, code: invite.code }} label="Disable" accessibleLabel={`Disable code ${invite.code}`} />
                ),
            },
          ]}
        />
      ) : null}
      <PdsSignUpForm slug={slug} open={openSignUp} />
    </PdsInviteForm>
  );
}
