import { createServer, request, type Server } from 'node:http';
import { serveConsole } from '../../../console/serve.js';
import { idleConnectionMs } from '../../../infra/local/http-host.js';

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/**
 * What the local host will do once it serves the console, for the browser tests: one origin
 * that answers /v1/* by proxying to the stack (method, path, headers and body as they are) and
 * everything else with `serveConsole` from console/dist.
 */
export async function startConsoleServer(apiBaseUrl: string, distDir?: string): Promise<ConsoleServer> {
  const api = new URL(apiBaseUrl);
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/v1?')) {
      const upstream = request(
        {
          host: api.hostname,
          port: api.port,
          method: req.method,
          path,
          headers: { ...req.headers, host: api.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway');
      });
      req.pipe(upstream);
      return;
    }
    if (serveConsole(req, res, distDir ? { distDir } : {})) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  });
  server.keepAliveTimeout = idleConnectionMs;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
