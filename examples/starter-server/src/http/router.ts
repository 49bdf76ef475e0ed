import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgenticGenError } from '@agenticgen/core';

export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/knowledge/documents/:id` — `:name` segments become `params.name`. */
  path: string;
  /** Public routes skip the bearer token check (health, readiness, metrics, the UI). */
  public?: boolean;
  handler: (context: RouteContext) => Promise<void> | void;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

/** A small method + path router; enough for an API of a few dozen routes and easy to read. */
export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(route: Route): this {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.#routes.push({ ...route, pattern: new RegExp(`^${source}$`), names });
    return this;
  }

  /** The route for a request, or a `route-not-found` / `method-not-allowed` error. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.#routes) {
      const match = route.pattern.exec(pathname);
      if (match === null) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return { route, params };
    }
    if (pathMatched) {
      throw new AgenticGenError('method-not-allowed', `[server] ${method} is not allowed on ${pathname}`);
    }
    throw new AgenticGenError(
      'route-not-found',
      `[server] no route ${method} ${pathname}; see docs/deployment.md for the API`,
    );
  }

  list(): Array<{ method: string; path: string; public: boolean }> {
    return this.#routes.map((route) => ({ method: route.method, path: route.path, public: route.public === true }));
  }
}
