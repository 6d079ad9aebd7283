import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { exposureConfig } from '../../infrastructure/config/exposure.config.js';
import { OpenApiDocumentHolder } from '../../infrastructure/http/openapi.js';
import { DocsController } from './docs.controller.js';
import { HealthController } from './health.controller.js';
import { InfoController } from './info.controller.js';
import { ReadinessService } from './readiness.service.js';

/**
 * Probes, the info endpoint and, with `DOCS_ACCESS=admin`, the admin-only OpenAPI document. A
 * dynamic module: whether the docs controller exists is read from the environment when the
 * application module is built (a route's access policy is fixed when it is declared).
 */
@Module({})
export class HealthModule {
  static forRoot(): DynamicModule {
    const adminDocs = exposureConfig().docs === 'admin';
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ConfigModule.forFeature(exposureConfig)],
      controllers: [HealthController, InfoController, ...(adminDocs ? [DocsController] : [])],
      providers: [ReadinessService, OpenApiDocumentHolder],
    };
  }
}
