import { describe, expect, it } from "vitest";
import {
  COMMUNITY_PERMISSIONS,
  communityPermissionsOf,
  hasCommunityPermission,
  hasHostPermission,
  HOST_PERMISSIONS,
  rolesWith,
  type CommunityPermission,
} from "./permissions";

// The intended powers, written out by hand: a change to the table must change this too.
const expected: Record<CommunityPermission, { OWNER: boolean; ADMIN: boolean; MEMBER: boolean; none: boolean; host: boolean }> = {
  "community.read": { OWNER: true, ADMIN: true, MEMBER: true, none: false, host: true },
  "community.write": { OWNER: true, ADMIN: true, MEMBER: false, none: false, host: false },
  "community.delete": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: true },
  "members.read": { OWNER: true, ADMIN: true, MEMBER: true, none: false, host: true },
  "members.manage": { OWNER: true, ADMIN: true, MEMBER: false, none: false, host: false },
  "admins.manage": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: false },
  "billing.read": { OWNER: true, ADMIN: true, MEMBER: true, none: false, host: true },
  "billing.write": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: false },
  "instance.read": { OWNER: true, ADMIN: true, MEMBER: true, none: false, host: true },
  "instance.manage": { OWNER: true, ADMIN: true, MEMBER: false, none: false, host: true },
  "instance.credentials": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: false },
  "instance.export": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: false },
  "instance.restore": { OWNER: true, ADMIN: false, MEMBER: false, none: false, host: false },
};

const person = { isHostAdmin: false };
const hostAdmin = { isHostAdmin: true };

describe("permission table", () => {
  it("covers every permission in the expectations", () => {
    expect(Object.keys(expected).sort()).toEqual([...COMMUNITY_PERMISSIONS].sort());
  });

  for (const permission of COMMUNITY_PERMISSIONS) {
    it(`grants ${permission} exactly as intended`, () => {
      const want = expected[permission];
      expect(hasCommunityPermission(person, "OWNER", permission)).toBe(want.OWNER);
      expect(hasCommunityPermission(person, "ADMIN", permission)).toBe(want.ADMIN);
      expect(hasCommunityPermission(person, "MEMBER", permission)).toBe(want.MEMBER);
      expect(hasCommunityPermission(person, null, permission)).toBe(want.none);
      expect(hasCommunityPermission(hostAdmin, null, permission)).toBe(want.host);
      // A host admin who is also a member has the union of both.
      expect(hasCommunityPermission(hostAdmin, "MEMBER", permission)).toBe(want.host || want.MEMBER);
      expect(rolesWith(permission).sort()).toEqual((["OWNER", "ADMIN", "MEMBER"] as const).filter((r) => want[r]).sort());
    });
  }

  it("lists a role's permissions for the UI from the same table", () => {
    expect(communityPermissionsOf(person, "MEMBER")).toEqual(["community.read", "members.read", "billing.read", "instance.read"]);
    expect(communityPermissionsOf(person, null)).toEqual([]);
  });

  it("gives host permissions to host admins only", () => {
    for (const permission of HOST_PERMISSIONS) {
      expect(hasHostPermission(hostAdmin, permission)).toBe(true);
      expect(hasHostPermission(person, permission)).toBe(false);
      expect(hasHostPermission(null, permission)).toBe(false);
    }
  });
});
