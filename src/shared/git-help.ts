/** Where a person installs Git Credential Manager, for git without a credential helper (NO_CREDENTIAL_HELPER). */
export const GCM_INSTALL_URL = 'https://github.com/git-ecosystem/git-credential-manager/blob/release/docs/install.md';
