import { EmailField, NameField } from './user-fields.js';

/** Only the fields present change; `role` cannot be set here. Same rules as registration. */
export class UpdateUserRequest {
  @EmailField({ required: false })
  email?: string;

  @NameField({ required: false })
  name?: string;
}
