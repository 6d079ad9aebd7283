import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { type MailConfig, mailConfig } from '../config/mail.config.js';
import { type MailMessage, Mailer, nodemailerMessage } from './mailer.js';

/**
 * Development adapter: builds the real message (nodemailer's stream transport, so it is the
 * same RFC 5322 text an SMTP server would get) and writes it to `MAIL_DIR/<id>.eml`,
 * overwriting on a retry, then logs where it is.
 */
@Injectable()
export class FileMailer extends Mailer {
  private readonly logger = new Logger('Mail');
  private readonly transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    const built = await this.transport.sendMail(nodemailerMessage(message, this.config.from));
    await mkdir(this.config.directory, { recursive: true });
    const file = join(this.config.directory, `${message.id.replace(/[^\w.-]/g, '_')}.eml`);
    await writeFile(file, built.message as Buffer);
    this.logger.log(
      { mailId: message.id, subject: message.subject, file },
      `Mail written to ${file} (SMTP_URL is not set)`,
    );
  }
}
