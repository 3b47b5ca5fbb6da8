import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';

export interface OutgoingMail {
  /** Folder of the mailbox file (the tenant's slug). */
  folder: string;
  /** Base of the mailbox file name: stable per outbox event, so a redelivery overwrites. */
  fileKey: string;
  messageId: string;
  from: { name: string; address: string };
  replyTo?: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/**
 * Sends rendered mail with nodemailer: over SMTP when `SMTP_URL` is set, otherwise as a raw
 * RFC 822 message (nodemailer's stream transport) written to `MAILBOX_DIR/<tenant>/<key>.eml`,
 * where developers open it in a mail client and tests read it back.
 */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl
      ? nodemailer.createTransport(config.mail.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** @returns the mailbox file written, or null when the mail went out over SMTP. */
  async send(mail: OutgoingMail): Promise<string | null> {
    const info = (await this.transport.sendMail({
      from: mail.from,
      replyTo: mail.replyTo,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
    })) as { message?: Buffer; rejected?: unknown[] };
    if (this.config.mail.smtpUrl) {
      if (info.rejected?.length)
        throw new Error(`SMTP server rejected ${info.rejected.join(', ')}`);
      return null;
    }
    if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer returned no message buffer');
    const dir = join(this.config.mail.mailboxDir, mail.folder);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${mail.fileKey}.eml`);
    // Temp file + rename: a reader never sees half a message, a redelivery replaces it whole.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, info.message);
    await rename(temp, file);
    return file;
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
