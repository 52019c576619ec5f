import { connect, goodDataset, garbageDataset, runRound, startServer, tempDir, FAST_CONFIG } from './trainerTestKit';
(async () => {
  const t0 = Date.now();
  const { server } = await startServer(tempDir());
  await server.core.booted;
  console.log('boot ms', Date.now() - t0);
  const client = await connect(server);
  let t = Date.now();
  const m1 = await runRound(client, goodDataset(), { ...FAST_CONFIG, max_steps: Number(process.env.S1 ?? 48) });
  console.log('good', Date.now() - t, m1.state, m1.decision?.reason, m1.error);
  for (let i = 0; i < 2; i++) {
  t = Date.now();
  const m2 = await runRound(client, garbageDataset());
  console.log('garbage', Date.now() - t, m2.state, m2.decision?.reason, m2.error);
  }
  const m3 = await runRound(client, goodDataset());
  console.log('good2', Date.now() - t, m3.state, m3.decision?.reason, m3.error);
  client.close();
  await server.stop();
})();
