import type { AppContext } from '../context.ts';
import { featureUnavailable } from '../http/errors.ts';
import type { Router } from '../http/router.ts';

/** Model comparison and the collaboration (supervisor) task. */
export function registerWorkflowRoutes(router: Router, context: AppContext): void {
  router.add({
    method: 'POST',
    path: '/api/models/compare',
    handler() {
      throw featureUnavailable('compare', context.services.features.compare?.detail ?? 'not wired yet');
    },
  });
  router.add({
    method: 'POST',
    path: '/api/collaboration',
    handler() {
      throw featureUnavailable('collaboration', context.services.features.collaboration?.detail ?? 'not wired yet');
    },
  });
}
