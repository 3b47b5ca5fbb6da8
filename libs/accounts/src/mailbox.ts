import { Injectable } from '@nestjs/common';

export interface MailMessage {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Where account e-mails (invitations, password resets) go. Until the outbox worker of the
 * ordering issue delivers mail, messages are kept in memory (the last 500), where tests and the
 * development tools read them. Never logged: they carry single-use tokens.
 */
@Injectable()
export class Mailbox {
  private readonly messages: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.messages.push(message);
    if (this.messages.length > 500) this.messages.shift();
  }

  /** Messages sent to an address, newest last. */
  to(address: string): MailMessage[] {
    return this.messages.filter((m) => m.to === address.toLowerCase());
  }
}
