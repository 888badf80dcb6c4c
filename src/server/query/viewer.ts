import type { ServerConfig } from '../config.js';
import type { QueryBudget, QueryViewer } from '../store/types.js';
import type { WhereLimits } from './where.js';

/** How `clientId` sees the app's conversations in queries (see `QueryViewer`). */
export function queryViewer(config: ServerConfig, appId: string, clientId: string): QueryViewer {
  const app = config.apps.find((candidate) => candidate.appId === appId);
  return { clientId, open: app?.openConversationQuery === true, privateAttributes: app?.privateAttributes ?? [] };
}

export function whereLimits(config: ServerConfig): WhereLimits {
  return { maxTerms: config.maxQueryTerms, maxRegexes: config.maxQueryRegexes };
}

export function queryBudget(config: ServerConfig): QueryBudget {
  return { maxRows: config.maxQueryRows, maxMs: config.maxQueryMs };
}
