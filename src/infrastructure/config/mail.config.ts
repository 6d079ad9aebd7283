import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const mailConfig = registerAs('mail', () => {
  const env = loadEnv();
  return { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, directory: env.MAIL_DIR };
});
export type MailConfig = ReturnType<typeof mailConfig>;
