import type { Hono } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';

/** What the AgenticGen middleware puts on Hono's context. */
export interface ApiEnv {
  Variables: RequestIdVariables & {
    /** The key of the bearer token that signed the request in (`token-0`, …), set by the auth middleware. */
    owner: string;
  };
}

export type ApiApp = Hono<ApiEnv>;
