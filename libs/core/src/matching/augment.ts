import { allowedIdx, Prepared, unpairedLongestWaitFirst } from './prepared';

const AUG_DEPTH = 3; // paired edges crossed by one augmenting path (path length <= 2·3+1 = 7)
const AUG_BRANCH = 8; // allowed rating neighbours tried per step

/**
 * Phase C0: bounded augmenting paths u – x1 = y1 – x2 = y2 – … – v (u, v unpaired, xk = yk paired):
 * flipping the path gives +1 pair, objective (1), whatever it does to the lower levels (repair C
 * then improves those locally). Depth-first over the AUG_BRANCH nearest allowed players per step,
 * vertex-disjoint paths only (no blossom shrinking, so some longer augmentations are missed).
 * Catches what the band DP and repair's length-3 paths miss when young players' allowed partners
 * (same region / null / past fallback) sit far apart in rating order.
 */
export function augment(P: Prepared, partner: Int32Array): number {
  const { n, rating, window } = P;
  const stamp = new Int32Array(n);
  let epoch = 0;
  const path: number[] = [];
  /** y is the current end of the path (free to take a new partner); true when completed */
  const dfs = (y: number, depth: number): boolean => {
    let L = y - 1;
    let R = y + 1;
    let tried = 0;
    while (tried < AUG_BRANCH) {
      const dl = L >= 0 ? rating[y] - rating[L] : Infinity;
      const dr = R < n ? rating[R] - rating[y] : Infinity;
      if (Math.min(dl, dr) > window[y]) break;
      const x = dl <= dr ? L-- : R++;
      if (stamp[x] === epoch || !allowedIdx(P, y, x)) continue;
      const z = partner[x];
      if (z < 0) {
        path.push(x);
        return true;
      }
      if (stamp[z] === epoch) continue;
      tried++;
      if (depth <= 1) continue;
      stamp[x] = epoch;
      stamp[z] = epoch;
      path.push(x, z);
      if (dfs(z, depth - 1)) return true;
      path.length -= 2;
    }
    return false;
  };
  const free = unpairedLongestWaitFirst(P, partner);
  let made = 0;
  for (const u of free) {
    if (partner[u] >= 0) continue;
    epoch++;
    stamp[u] = epoch;
    path.length = 0;
    path.push(u);
    if (!dfs(u, AUG_DEPTH)) continue;
    // path = u, x1, y1, x2, y2, …, v: re-pair (u,x1), (y1,x2), …, (y_last, v)
    for (let k = 0; k + 1 < path.length; k += 2) {
      partner[path[k]] = path[k + 1];
      partner[path[k + 1]] = path[k];
    }
    made++;
  }
  return made;
}
