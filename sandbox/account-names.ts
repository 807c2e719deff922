import { createHash } from 'node:crypto';
import type { Organization, User } from './store';

/**
 * The names Azure DevOps gives a person depend on where the organization lives.
 *
 * - In the cloud, an Entra (or Microsoft) account: `uniqueName` is the sign-in address, the legacy
 *   descriptor `Microsoft.IdentityModel.Claims.ClaimsIdentity;{tenant}\{mail}`, the subject
 *   descriptor `aad.…` (ims/7.1 examples SearchByIds.json).
 * - On Azure DevOps Server in a Windows domain, a Windows account: `uniqueName` is `DOMAIN\user`,
 *   the subject descriptor `win.` + the base64 of the account's SID, no padding. Microsoft's own
 *   example: `N202\Administrator`, `win.Uy0xLTUtMjEt…` = `S-1-5-21-…-500` (wit/7.1
 *   githubConnections GET_githubConnections.json). The legacy descriptor's type is
 *   `System.Security.Principal.WindowsIdentity` (IdentityConstants.WindowsType in Microsoft's
 *   Microsoft.VisualStudio.Services.Common). The domain's accounts keep their mail (Active
 *   Directory's mail attribute), which is not their name.
 */
export interface AccountNames {
  uniqueName: string;
  /** The `Account` property of an identity: what the person signs in with. */
  account: string;
  /** The `Domain` property of an identity. */
  domain: string;
  /** The legacy identity descriptor (`descriptors=` in the identities API). */
  descriptor: string;
  /** The graph subject descriptor (`subjectDescriptors=`, avatars). */
  subjectDescriptor: string;
}

/** The sandbox server's Windows domain (its host is tfs.fabrikam.test). */
export const WINDOWS_DOMAIN = 'FABRIKAM';

export function accountNames(org: Organization, user: User): AccountNames {
  if (org.hosting === 'onprem') {
    const sid = sidOf(user);
    return {
      uniqueName: `${WINDOWS_DOMAIN}\\${user.alias}`,
      account: user.alias,
      domain: WINDOWS_DOMAIN,
      descriptor: `System.Security.Principal.WindowsIdentity;${sid}`,
      subjectDescriptor: `win.${Buffer.from(sid).toString('base64url')}`,
    };
  }
  const tenant = org.tenantId ?? 'Windows Live ID';
  return {
    uniqueName: user.mail,
    account: user.mail,
    domain: tenant,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${org.tenantId ?? 'windows'}\\${user.mail}`,
    subjectDescriptor: user.descriptor,
  };
}

/** A domain account's SID: the domain's three numbers, then a relative id of its own (1000 and up). */
function sidOf(user: User): string {
  const domain = createHash('sha256').update(WINDOWS_DOMAIN).digest();
  const rid = 1000 + (createHash('sha256').update(user.id).digest().readUInt32BE(0) % 100_000);
  return `S-1-5-21-${[0, 4, 8].map((o) => domain.readUInt32BE(o)).join('-')}-${rid}`;
}
