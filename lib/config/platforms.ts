/** Questions about the configured platforms, answered from a validated ClientConfig. */
import type { Platform } from '../model/ads.ts';
import type { ClientConfig } from './schema.ts';

export interface ConfiguredAccount {
  readonly platform: Platform;
  readonly accountId: string;
}

/** Every configured ad account, platform by platform, in config order. */
export function configuredAccounts(config: ClientConfig): ConfiguredAccount[] {
  const p = config.platforms;
  return [
    ...(p.meta?.accounts ?? []).map((accountId) => ({ platform: 'meta' as const, accountId })),
    ...(p['google-ads']?.customerIds ?? []).map((accountId) => ({ platform: 'google-ads' as const, accountId })),
    ...(p.tiktok?.advertiserIds ?? []).map((accountId) => ({ platform: 'tiktok' as const, accountId })),
    ...(p.linkedin?.accountIds ?? []).map((accountId) => ({ platform: 'linkedin' as const, accountId })),
    ...(p['x-ads']?.accountIds ?? []).map((accountId) => ({ platform: 'x-ads' as const, accountId })),
    ...(p.pinterest?.adAccountIds ?? []).map((accountId) => ({ platform: 'pinterest' as const, accountId })),
  ];
}

/** Days the platform still restates: ingestion re-reads them, decisions treat them as immature. */
export function restatementDays(config: ClientConfig, platform: Platform): number {
  const p = config.platforms;
  switch (platform) {
    case 'meta':
      return p.meta?.restatementDays ?? 28;
    case 'google-ads':
      return p['google-ads']?.conversionWindowDays ?? 30;
    case 'tiktok':
      return p.tiktok?.attributionWindowDays ?? 7;
    case 'linkedin':
      return p.linkedin?.restatementDays ?? 14;
    case 'x-ads':
      return 30;
    case 'pinterest':
      return 30;
  }
}

/** The client's own cap on concurrent ingest runs of a platform, when it set one. */
export function maxConcurrentRuns(config: ClientConfig, platform: Platform): number | undefined {
  return config.platforms[platform]?.maxConcurrentRuns;
}

/** Whether an ad set is managed by adpilot under the include/exclude lists of the config. */
export function isManaged(config: ClientConfig, adsetId: string): boolean {
  const { include, exclude } = config.adsets;
  if (exclude.includes(adsetId)) return false;
  return include === undefined || include.includes(adsetId);
}
