import type { Requester } from './request';

/** What every endpoint function needs: the requester and where the hosts are. */
export interface ApiContext {
  request: Requester;
  /** https://dev.azure.com/{org}, https://{org}.visualstudio.com, or an on-prem collection URL. */
  orgBaseUrl: string;
  /** https://vssps.dev.azure.com/{org} in the cloud; the collection URL on-prem. */
  vsspsBaseUrl: string;
  /** https://app.vssps.visualstudio.com (profile and accounts; cloud only). */
  profileBaseUrl: string;
  /** '7.1' in the cloud; Azure DevOps Server 2022 needs '7.0', 2020 '6.0', 2019 '5.0'. */
  apiVersion: string;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Profile and accounts live only in the cloud, which always speaks 7.1. */
export const CLOUD_API_VERSION = '7.1';

/** A preview version of the configured release, accepted for released and preview resources alike. */
export const preview = (ctx: ApiContext, revision = 1): string => `${ctx.apiVersion}-preview.${revision}`;
