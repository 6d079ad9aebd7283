import { ApiResponse } from '@nestjs/swagger';
import { problemResponse } from './openapi-security.js';

/** Documents one error response of an operation as a problem+json document. */
export const ApiProblem = (status: number, description: string) =>
  ApiResponse({ status, ...problemResponse(description) });
