import { bundlePackageSource } from '../../../test-support/bundle-package-source.ts';

/** This package's current source, bundled as tsup would (see bundlePackageSource). */
export function loadMetrics(): Promise<typeof import('../src/index.node.ts')> {
  return bundlePackageSource('metrics');
}
