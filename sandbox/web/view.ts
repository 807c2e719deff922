import type { Html } from './html';

/** One page's content: what goes in the main region, and what the first HTML adds. */
export interface View {
  /** `document.title`, Azure DevOps style: "Files - Repos". */
  title: string;
  main: Html;
  /** Page-specific data providers (first HTML only). */
  dataProviders?: Record<string, unknown>;
}
