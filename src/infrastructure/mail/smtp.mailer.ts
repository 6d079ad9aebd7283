import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { type MailConfig, mailConfig } from '../config/mail.config.js';
import { PermanentError, TransientError } from '../resilience/resilience.errors.js';
import { ResilienceService } from '../resilience/resilience.service.js';
import { type MailMessage, Mailer, nodemailerMessage } from './mailer.js';

/** SMTP reply codes 4xx are temporary by definition (RFC 5321); 5xx are permanent. */
const isTemporary = (error: unknown) => {
  const code = (error as { responseCode?: number }).responseCode;
  return code === undefined || (code >= 400 && code < 500);
};

/** Sends through the SMTP server in `SMTP_URL`, under the "smtp" circuit breaker and time limit. */
@Injectable()
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    private readonly resilience: ResilienceService,
  ) {
    super();
    this.transport = createTransport(config.smtpUrl!);
  }

  async send(message: MailMessage, signal?: AbortSignal): Promise<void> {
    const permanent = await this.resilience.execute(
      'smtp',
      async (callSignal) => {
        const sending = this.transport.sendMail(nodemailerMessage(message, this.config.from));
        const aborted = new Promise<never>((_, reject) =>
          callSignal.addEventListener('abort', () => reject(callSignal.reason as Error), { once: true }),
        );
        try {
          await Promise.race([sending, aborted]);
          return undefined;
        } catch (error) {
          if (isTemporary(error)) throw new TransientError((error as Error).message, 'MAIL.SMTP_TEMPORARY');
          return new PermanentError((error as Error).message, 'MAIL.SMTP_REJECTED');
        }
      },
      { signal },
    );
    if (permanent) throw permanent;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
