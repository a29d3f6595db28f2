/**
 * Runs the S3 test server in a process of its own (`startS3TestServer({ separateProcess: true })`):
 * reports its port to the parent over IPC and stops on SIGTERM or when the parent goes away.
 */
import { runS3rver } from './s3-test-server.ts';

const directory = process.argv[2];
if (directory === undefined || process.send === undefined) {
  throw new Error('s3-test-server.process.ts is started by startS3TestServer, with a directory and an IPC channel');
}
const server = await runS3rver(directory);
process.send({ port: server.port });
const stop = (): void => {
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
