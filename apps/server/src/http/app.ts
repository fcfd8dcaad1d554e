import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import compress from '@fastify/compress';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '@cuntong/contracts/common.ts';
import { ping } from '../db/connect.ts';
import { authHook } from './auth.ts';
import type { App, AppContext } from './context.ts';
import { errorHandler, problem } from './errors.ts';
import { MODULES } from './modules.ts';
import { validatorCompiler } from './validation.ts';

export interface BuildAppOptions {
  /** Directory of the built console (apps/web/dist); undefined = API only. */
  webDist?: string;
  logger?: boolean | { level: string };
}

export async function buildApp(ctx: AppContext, opts: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: typeof opts.logger === 'object' ? opts.logger.level : ctx.config.logLevel,
            // Credentials never reach the logs; bodies are not logged at all (they carry personal data).
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
    bodyLimit: ctx.config.bodyLimitBytes,
    ajv: undefined,
    genReqId: () => Math.random().toString(36).slice(2, 12),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('principal', null);
  app.addSchema(ProblemSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Cuntong 村通 API', version: '1.0.0', description: 'Management API (/api/v1) and partner API (/partner/v1) of the Cuntong rural delivery platform.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login, or a partner API key' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, { global: false });
  // JSON answers like the map (~700 KB) shrink ~10× with compression; the console's static files
  // are served pre-compressed (.br/.gz written by the build) instead.
  await app.register(compress, { global: true, threshold: 2048, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  await app.register(multipart, { limits: { fileSize: ctx.config.uploadLimitBytes, files: 1, fields: 10 } });

  app.addHook('onRequest', authHook(ctx));

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await ping(ctx.db);
      return { status: 'ready', database: ctx.engine };
    } catch {
      return reply.status(503).type('application/problem+json').send(problem(503, 'not_ready', 'the database is not reachable'));
    }
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/v1/config', { config: { public: true }, schema: { tags: ['system'], summary: 'Public settings for the console' } }, async () => ({
    region: ctx.config.region,
    ...(ctx.config.mapTileUrl ? { mapTileUrl: ctx.config.mapTileUrl } : {}),
  }));

  for (const mod of MODULES) await app.register(async (scoped) => mod(scoped as App, ctx));

  const webDist = opts.webDist;
  const indexHtml = webDist && existsSync(join(webDist, 'index.html')) ? readFileSync(join(webDist, 'index.html')) : undefined;
  if (webDist && indexHtml) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: false, maxAge: '1h', immutable: false, preCompressed: true });
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml));
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    // The console is a single-page app: unknown non-API paths get its index.html.
    if (indexHtml && req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/partner/') && !/\.[a-z0-9]+$/i.test(url)) {
      return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml);
    }
    return reply.status(404).type('application/problem+json').send({ ...problem(404, 'route.not_found', `no route ${req.method} ${url}`), instance: url });
  });
  return app;
}
