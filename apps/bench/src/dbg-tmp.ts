import { createCpuBackend } from '@sepconv/cpu';
import { instantiate, onlyOutput } from '@sepconv/mobilenet';
import { randomUniform } from '@sepconv/tensor';
import { buildNetwork, mobilenetNetworks } from './networks/network-case.js';
const c = mobilenetNetworks.find((n) => n.id.startsWith('mobilenet-v3-large'))!;
const net = buildNetwork(c, 1);
const x = randomUniform([1, c.resolution, c.resolution, 3], 2, -1, 1);
const b = await createCpuBackend({ threads: 1 });
const m = await instantiate(net.spec, b, { weights: net.weights });
for (let r = 0; r < 5; r++) onlyOutput(await m.predictAsync(x)).data;
// host part only: record without running, by timing predict minus jobs
let host = [];
for (let r = 0; r < 100; r++) {
  const p = b.profileJobs();
  const t0 = performance.now();
  onlyOutput(await m.predictAsync(x)).data;
  const t = performance.now() - t0;
  const jobs = p.stop();
  host.push(t - jobs.reduce((s, j) => s + j.ms, 0));
  if (r === 0) { const first = jobs[0]!; console.log('runs start after', (first.end - first.ms) - (performance.timeOrigin + t0), 'ms; last end to return', performance.timeOrigin + t0 + t - jobs[jobs.length-1]!.end, 'submissions', b.submissions); }
}
host.sort((a, b) => a - b);
console.log('host min/median', host[0], host[50]);
process.exit(0);
