import { Body, Controller, Get, Logger, Module, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Authenticated } from '../../src/infrastructure/auth/access-policy.js';
import { IsEmail, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';

class AddressDto {
  @IsString()
  city: string;
}

export class ProbeDto {
  @IsEmail()
  email: string;

  @IsInt()
  @Min(0)
  age: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

class SlowQuery {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30_000)
  ms: number;
}

/** Tracks requests the slow route is serving, so a test knows when one is in flight. */
export const inFlight = { started: 0, finished: 0 };

/** Test-only routes that exercise the HTTP pipeline: validation, logging, failures, slowness. */
@Authenticated()
@Controller({ path: 'probe', version: '1' })
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  @Post('echo')
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Get('log')
  log(): { logged: true } {
    this.logger.log({ msg: 'probe handled', user: { name: 'Ada', password: 'hunter2', token: 'tok-123' } });
    return { logged: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to 10.0.0.7 failed: password hunter2 rejected');
  }

  @Get('slow')
  async slow(@Query() query: SlowQuery): Promise<{ waitedMs: number }> {
    inFlight.started += 1;
    await new Promise((resolve) => setTimeout(resolve, query.ms));
    inFlight.finished += 1;
    return { waitedMs: query.ms };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
