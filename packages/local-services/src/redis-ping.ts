import { connect } from 'node:net';

/** True when a Redis server on `host:port` answers PING (no client library needed). */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // A server still loading answers -LOADING: not ready yet.
    socket.once('data', (data) => finish(data.toString('utf8').startsWith('+PONG')));
  });
}
