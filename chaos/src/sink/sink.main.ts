// The sink process: the webhook receiver runs apart from the load generator, so that a burst of
// client retries in the suite's own process never makes the receiver slow to answer.
import type { SinkReply, SinkRequest } from './sink-messages.js';
import { startSinkServer } from './sink-server.js';

const logFile = process.env.SINK_LOG_FILE;
if (!logFile || !process.send) {
  console.error('sink: run by the chaos suite (SINK_LOG_FILE and an IPC channel are required)');
  process.exit(2);
}
const reply = (message: SinkReply) => process.send?.(message);

const sink = await startSinkServer(logFile);
process.on('message', (request: SinkRequest) => {
  void (async () => {
    if (request.type === 'mode') sink.setMode(request.mode);
    else await sink.flush();
    reply({ type: 'ack', id: request.id });
  })();
});
// The suite going away, however it ends, closes the channel: the sink goes with it.
process.on('disconnect', () => {
  void sink.close().finally(() => process.exit(0));
});
reply({ type: 'ready', url: sink.url });
