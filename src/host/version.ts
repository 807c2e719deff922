/** The companion's version: package.json's, put in by the build (scripts/build-host.mjs). */
declare const ADO_COMPANION_BUILD_VERSION: string | undefined;

export const COMPANION_VERSION: string = typeof ADO_COMPANION_BUILD_VERSION === 'string' ? ADO_COMPANION_BUILD_VERSION : '0.0.0-dev';
