import { LocalgateService } from '../../host/service/localgate-service.js';
import { makeTempHome, freePort } from './temp-home.js';
import type { ProxyConfigPatch } from '../../shared/config.js';

/** A LocalgateService with its own data dir and a free port, proxy not yet started. */
export async function openService(config: ProxyConfigPatch = {}, options: { demo?: boolean } = {}) {
  const home = makeTempHome();
  const service = await LocalgateService.open({ dataDir: home.dir, demo: options.demo ?? false });
  await service.updateConfig({ port: await freePort(), ...config });
  return {
    service,
    home: home.dir,
    origin: () => `http://127.0.0.1:${service.config().port}`,
    async close() {
      await service.close();
      home.cleanup();
    },
  };
}
