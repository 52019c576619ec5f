// For live-model-check.sh: the real trainer-server (tiny model, real engine) on a free loopback port,
// its home in the folder given; prints "URL ws://..." once it listens. Stopped with its process group.
import { startServer } from '../unit/trainerTestKit';

const home = process.argv[2];
if (!home) throw new Error('usage: live-model-trainer.ts HOME_DIR');
void startServer(home).then(({ server }) => console.log(`URL ${server.wsUrl}`));
