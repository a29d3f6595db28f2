import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { S3TestServer } from '@memelab/adapters/testing';
import { freePort } from '../apps/cli/src/testing/memelab-process.ts';
import { nginxPreamble, nginxTempPaths, runNginx } from './nginx-process.ts';

const run = promisify(execFile);

/**
 * A light object store for the pipeline benchmark: nginx (Debian's package) on a loopback
 * port taking path-style S3 uploads as WebDAV PUTs and serving them back as files.
 *
 * The benchmark measures what a cluster pays per meme, where the object store runs on
 * other machines. Its stand-in still shares this machine's two cores, and s3rver, the full
 * S3 implementation the tests use, spends 2 to 3 ms of CPU per upload in JavaScript: a
 * third of what the stack may spend. nginx writes the same bytes for a tenth of that, so
 * the stack, not its stand-in, sets the throughput. It checks no signatures and keeps no
 * metadata: it serves exactly the requests the stack sends while it renders (PutObject,
 * GetObject, HeadObject, DeleteObject, and HeadBucket/CreateBucket answered 200), nothing
 * more. `--store s3rver` measures with the full implementation.
 */
export const startNginxObjectStore = async (
  options: { readonly parentDirectory?: string } = {},
): Promise<S3TestServer> => {
  await assertNginxWithDav();
  const prefix = await mkdtemp(path.join(options.parentDirectory ?? tmpdir(), 'memelab-nginx-s3-'));
  try {
    const root = path.join(prefix, 'objects');
    await mkdir(root);
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const nginx = await runNginx(prefix, nginxConfig(prefix, root, port), `${endpoint}/bucket`, 'HEAD');
    return {
      endpoint,
      // Any key pair signs; nginx does not check signatures.
      accessKeyId: 'bench',
      secretAccessKey: 'bench',
      region: 'us-east-1',
      pid: nginx.pid,
      stop: async () => {
        await nginx.stop();
        await rm(prefix, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
};

/**
 * One worker process, as a stand-in should cost as little of the shared cores as it can.
 * Bucket-level requests (`/bucket`, `/bucket/`) answer 200, so HeadBucket finds the bucket
 * and CreateBucket succeeds; everything deeper is a file under `root`.
 */
const nginxConfig = (prefix: string, root: string, port: number): string => `${nginxPreamble(prefix, 1)}
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_max_body_size 64m;
  client_body_buffer_size 1m;
  ${nginxTempPaths(prefix)}
  types { image/jpeg jpg jpeg; image/png png; image/webp webp; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location ~ ^/[^/]+/?$ {
      return 200;
    }
    location / {
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;

const assertNginxWithDav = async (): Promise<void> => {
  let version: string;
  try {
    // nginx -V prints its build options on stderr.
    version = (await run('nginx', ['-V'])).stderr;
  } catch {
    throw new Error(
      'The pipeline benchmark stands in for the object store with nginx, which is not installed: apt-get install nginx (or run with --store s3rver).',
    );
  }
  if (!version.includes('--with-http_dav_module')) {
    throw new Error(
      "This nginx has no WebDAV module, which the object store stand-in needs: install Debian's nginx package (not nginx-light), or run with --store s3rver.",
    );
  }
};
