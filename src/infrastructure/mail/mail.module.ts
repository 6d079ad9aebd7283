import { Global, Module } from '@nestjs/common';
import { type MailConfig, mailConfig } from '../config/mail.config.js';
import { ResilienceService } from '../resilience/resilience.service.js';
import { FileMailer } from './file.mailer.js';
import { Mailer } from './mailer.js';
import { SmtpMailer } from './smtp.mailer.js';

/** Binds the `Mailer` port: SMTP when `SMTP_URL` is set, otherwise files in `MAIL_DIR`. */
@Global()
@Module({
  providers: [
    {
      provide: Mailer,
      inject: [mailConfig.KEY, ResilienceService],
      useFactory: (config: MailConfig, resilience: ResilienceService): Mailer =>
        config.smtpUrl ? new SmtpMailer(config, resilience) : new FileMailer(config),
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
