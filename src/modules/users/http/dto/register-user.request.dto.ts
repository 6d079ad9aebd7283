import { EmailField, NameField } from './user-fields.js';

export class RegisterUserRequest {
  @EmailField({ required: true })
  email: string;

  @NameField({ required: true })
  name: string;
}
