import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify options that keep its JSON-schema compilers (ajv, fast-json-stringify) from loading.
 * Localgate declares no route schemas (zod validates every boundary), yet Fastify builds an ajv
 * instance for each server unless told how to compile: that was most of a server's start-up
 * time and a megabyte of heap per server. A route that declares a schema fails loudly at start.
 */
export const NO_JSON_SCHEMA_COMPILERS: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: {
    compilersFactory: {
      // Fastify asks each factory for a compiler as routes are added; the compiler only runs for a
      // schema a route actually declares.
      buildValidator: () => refuseSchema,
      buildSerializer: () => refuseSchema,
    },
  },
};

function refuseSchema(): never {
  throw new Error('Fastify route schemas are not used in Localgate: validate with the zod schemas in shared/ instead.');
}
