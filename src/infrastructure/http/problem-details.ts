import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldProblem {
  @ApiProperty({ example: 'email', description: 'Path of the offending field, dotted for nested fields' })
  field: string;

  @ApiProperty({ example: ['email must be an email'], type: [String] })
  messages: string[];
}

/** RFC 9457 problem details, with this API's `code` and `requestId` extensions. */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank', description: 'URI reference identifying the problem type' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'Validation failed for 1 field' })
  detail: string;

  @ApiProperty({ example: '/v1/users', description: 'The request path that produced the problem' })
  instance: string;

  @ApiProperty({ example: 'HTTP.VALIDATION_FAILED', description: 'Stable, namespaced error code' })
  code: string;

  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  requestId: string;

  @ApiPropertyOptional({ type: [FieldProblem], description: 'Present on validation problems' })
  errors?: FieldProblem[];
}
