import { PartialType } from '@nestjs/swagger';
import { RegisterUserRequest } from './register-user.request.dto.js';

/** Only the fields present change; `role` cannot be set here. Same rules as registration. */
export class UpdateUserRequest extends PartialType(RegisterUserRequest) {}
