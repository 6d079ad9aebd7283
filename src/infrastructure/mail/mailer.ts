import type { SendMailOptions } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * Stable id of this message (for example derived from the task that sends it). It becomes
   * the `Message-ID` header, so a message sent twice by a retried task is recognisably one
   * message to mail clients, and the development adapter overwrites instead of duplicating.
   */
  id: string;
}

/** Sends mail. Adapters: SMTP (`SMTP_URL` set) or, in development, files under `MAIL_DIR`. */
export abstract class Mailer {
  abstract send(message: MailMessage, signal?: AbortSignal): Promise<void>;
}

/** `Message-ID` value for a message id: `<id@domain-of-the-sender>`. */
export function messageIdFor(id: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${id}@${domain}>`;
}

/** The message as both adapters hand it to nodemailer: the same headers, whether sent or written. */
export function nodemailerMessage(message: MailMessage, from: string): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    messageId: messageIdFor(message.id, from),
  };
}
