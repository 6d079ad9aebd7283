import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type AppConfig, appConfig } from '../../infrastructure/config/app.config.js';
import { Public } from '../../infrastructure/auth/access-policy.js';

export class InfoResponse {
  @ApiProperty({ example: 'nest-modular-monolith' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: 'development' })
  environment: string;

  @ApiProperty({ example: '1', description: 'The API version that served this response' })
  apiVersion: string;
}

/** What is running: a small versioned endpoint that shows URI and header versioning at work. */
@ApiTags('info')
@Public()
@Controller({ path: 'info', version: '1' })
export class InfoController {
  constructor(@Inject(appConfig.KEY) private readonly app: AppConfig) {}

  @Get()
  @ApiOkResponse({ type: InfoResponse })
  info(): InfoResponse {
    return { name: this.app.name, version: this.app.version, environment: this.app.nodeEnv, apiVersion: '1' };
  }
}
