import type { Server } from 'node:http';

/** A port the local stack needs is taken; the message says which and how to choose another. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly what: string,
    readonly flag: string,
  ) {
    super(
      `Port ${port} (${what}) is already in use. Stop whatever listens there, or choose another port with ${flag} <port>.`,
    );
  }
}

/** Listens on loopback only: the local stack is for this machine, not for the network. */
export const listen = (server: Server, port: number, what: string, flag: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, what, flag) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });

export const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
