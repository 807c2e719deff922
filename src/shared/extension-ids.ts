/**
 * The extension's identities. The Chrome id follows from the public key in manifest.json's `key`
 * (first 32 hex digits of sha256(DER), mapped 0-f → a-p), so unpacked builds keep one id and the
 * companion's native-messaging manifest can name it. The private key is not kept anywhere.
 */
export const ADO_COMPANION_CHROME_ID = 'pnmjkpjplbnbdemdepckpdffmpmdbbga';
export const ADO_COMPANION_GECKO_ID = 'azure-devops-companion@adocompanion.dev';

/** The shapes of a Chrome extension id and a Firefox add-on id (name@domain or {uuid}). */
export const CHROME_ID = /^[a-p]{32}$/;
export const GECKO_ID = /^(?:[A-Za-z0-9._+-]*@[A-Za-z0-9._-]+|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$/;
