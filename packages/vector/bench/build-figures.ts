/**
 * The parallel-build figures, shared by run.ts (the whole bench) and build-parallel.ts (builds only): wall
 * and CPU time of `buildHnswIndex(records, { workers: 2 })` and of the one-thread `upsert`, each against
 * hnswlib-node's one-thread build from the same run, and the recall curve of both builds.
 */
export interface BuildRun {
  library: string;
  buildWall: number;
  buildCpu: number;
  buildCpuSystem?: number;
  loadBefore?: number;
  loadAfter?: number;
  sweep: { ef: number; p50: number; p99: number; recall: number }[];
}

export interface Figure {
  name: string;
  unit: string;
  ours: number;
  peers: Record<string, number>;
  recall?: Record<string, number>;
  data?: string;
}

const cpu = (run: BuildRun) => run.buildCpu + (run.buildCpuSystem ?? 0);

export function buildFigures(
  prefix: string,
  data: string,
  runs: { parallel: BuildRun; sequential: BuildRun; peer: BuildRun },
): { figures: Figure[]; note: string } {
  const { parallel, sequential, peer } = runs;
  const curve: Record<string, number> = {};
  let largestGap = 0;
  for (const point of parallel.sweep) {
    const other = sequential.sweep.find((candidate) => candidate.ef === point.ef);
    if (other === undefined) continue;
    curve[`ef ${point.ef}: 2 workers`] = point.recall;
    curve[`ef ${point.ef}: 1 thread`] = other.recall;
    largestGap = Math.max(largestGap, Math.abs(point.recall - other.recall));
  }
  const figures: Figure[] = [
    {
      name: `${prefix}build-100k-wall`,
      unit: 'ms',
      ours: parallel.buildWall,
      peers: { 'hnswlib-node': peer.buildWall },
      data,
    },
    {
      name: `${prefix}build-100k-wall-1-thread`,
      unit: 'ms',
      ours: sequential.buildWall,
      peers: { 'hnswlib-node': peer.buildWall },
      data,
    },
    {
      name: `${prefix}build-100k-cpu`,
      unit: 'ms',
      ours: cpu(parallel),
      peers: { 'hnswlib-node': cpu(peer) },
      data,
    },
    {
      name: `${prefix}build-100k-cpu-1-thread`,
      unit: 'ms',
      ours: cpu(sequential),
      peers: { 'hnswlib-node': cpu(peer) },
      data,
    },
    {
      name: `${prefix}build-parallel-recall-gap`,
      unit: 'recall@10',
      ours: largestGap,
      peers: {},
      recall: curve,
      data,
    },
  ];
  const load = (run: BuildRun) =>
    `${run.library} ${(run.loadBefore ?? Number.NaN).toFixed(2)} → ${(run.loadAfter ?? Number.NaN).toFixed(2)}`;
  const note = `${prefix}build-100k-* (${data}): wall = ours with buildHnswIndex({ workers: 2 }) (worker_threads, shared memory) vs hnswlib-node's one-thread build; -1-thread = ours with upsert on one thread; CPU = user + system of the whole process (all threads). Wall ratios ${(parallel.buildWall / peer.buildWall).toFixed(2)} (2 workers) and ${(sequential.buildWall / peer.buildWall).toFixed(2)} (1 thread); CPU ratios ${(cpu(parallel) / cpu(peer)).toFixed(2)} and ${(cpu(sequential) / cpu(peer)).toFixed(2)}. Load average (1 min) before → after each build: ${[parallel, peer, sequential].map(load).join('; ')}. build-parallel-recall-gap: the largest |recall@10 difference| between the 2-worker and the 1-thread build over the efSearch sweep (the curve is in "recall").`;
  return { figures, note };
}
