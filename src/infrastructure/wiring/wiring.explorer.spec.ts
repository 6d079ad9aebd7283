import { Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Controller,
  Delete,
  Get,
  Injectable,
  Module,
  Post,
  Version,
  VERSION_NEUTRAL,
  VersioningType,
} from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Authenticated, OwnerOrAdmin, Public, RequireRole } from '../auth/access-policy.js';
import { WiringExplorer } from './wiring.explorer.js';
import { WiringModule } from './wiring.module.js';

@Controller({ path: 'widgets', version: '2' })
@Authenticated()
class WidgetsController {
  @Get()
  @Public()
  list(): void {}

  @Get(':id')
  @Version('3')
  get(): void {}

  @Post()
  @Version(['1', VERSION_NEUTRAL])
  @RequireRole('admin')
  create(): void {}

  /** Not a route. */
  helper(): void {}
}

@Controller('gadgets')
@OwnerOrAdmin('gadget')
class GadgetsController {
  @Get('latest')
  latest(): void {}
}

@Controller({ path: 'status', version: VERSION_NEUTRAL })
@Public()
class StatusController {
  @Delete()
  clear(): void {}
}

@Module({ controllers: [WidgetsController, GadgetsController, StatusController] })
class ShopModule {}

abstract class Stock {}
class WarehouseStock extends Stock {}

const Gadget = DiscoveryService.createDecorator<{ name: string; size: number; stock: typeof Stock }>();

@Injectable()
@Gadget({ name: 'gadgets.spinner', size: 3, stock: Stock })
class Spinner {
  static built = 0;

  constructor() {
    Spinner.built++;
  }
}

/** Decorated for reading before anything is built; the factory returns a subclass with worker options. */
@Processor('parcels')
class ParcelsProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

@Module({
  providers: [
    Spinner,
    { provide: Stock, useClass: WarehouseStock },
    {
      provide: ParcelsProcessor,
      useFactory: () => {
        @Processor('parcels', { concurrency: 2 })
        class ConfiguredParcelsProcessor extends ParcelsProcessor {}
        return new ConfiguredParcelsProcessor();
      },
    },
  ],
})
class WarehouseModule {}

const moduleNamed = (explorer: WiringExplorer, name: string) => explorer.describe().find((m) => m.name === name)!;

describe('WiringExplorer', () => {
  it('reports each route with its version prefix exactly as Nest registers it', async () => {
    const adapter = new FastifyAdapter();
    const registered: string[] = [];
    adapter.getInstance().addHook('onRoute', ({ method, url }) => {
      if (method !== 'HEAD') registered.push(`${String(method)} ${url}`);
    });
    const app = await Test.createTestingModule({ imports: [ShopModule, WiringModule.forRoot()] })
      .compile()
      .then((moduleRef) => moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false }));
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    await app.init();
    try {
      const routes = moduleNamed(app.get(WiringExplorer), 'ShopModule').routes;

      expect(routes).toEqual([
        { method: 'GET', path: '/v2/widgets', version: '2', handler: 'WidgetsController.list', access: 'public' },
        {
          method: 'GET',
          path: '/v3/widgets/:id',
          version: '3',
          handler: 'WidgetsController.get',
          access: 'authenticated',
        },
        {
          method: 'POST',
          path: '/v1/widgets',
          version: '1',
          handler: 'WidgetsController.create',
          access: 'role:admin',
        },
        { method: 'POST', path: '/widgets', version: null, handler: 'WidgetsController.create', access: 'role:admin' },
        {
          method: 'GET',
          path: '/v1/gadgets/latest',
          version: '1',
          handler: 'GadgetsController.latest',
          access: 'owner:gadget',
        },
        { method: 'DELETE', path: '/status', version: null, handler: 'StatusController.clear', access: 'public' },
      ]);
      expect(routes.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(registered.sort());
    } finally {
      await app.close();
    }
  });

  it('reads a preview-mode context, where no provider is built', async () => {
    @Module({ imports: [WarehouseModule, WiringModule.forRoot({ decorators: { gadgets: Gadget } })] })
    class PreviewRoot {}

    const app = await NestFactory.createApplicationContext(PreviewRoot, { preview: true, logger: false });
    try {
      const warehouse = moduleNamed(WiringExplorer.of(app), 'WarehouseModule');

      expect(warehouse.providers).toEqual([
        { token: 'Spinner' },
        { token: 'Stock', class: 'WarehouseStock' },
        { token: 'ParcelsProcessor' },
      ]);
      expect(warehouse.processors).toEqual([{ queue: 'parcels', processor: 'ParcelsProcessor' }]);
      expect(warehouse.decorated).toEqual({
        gadgets: [{ provider: 'Spinner', options: { name: 'gadgets.spinner', size: 3, stock: 'Stock' } }],
      });
      expect(Spinner.built).toBe(0);
    } finally {
      await app.close();
    }
  });
});
