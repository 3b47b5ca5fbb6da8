import { Injectable } from '@nestjs/common';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { VitrineError } from '@vitrine/errors';

/** argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): ~40 ms per hash here. */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Password hashing. `verifyOrDummy` costs the same whether or not there is a hash to check, so
 * a login for an unknown e-mail takes as long as one with a wrong password.
 */
@Injectable()
export class PasswordService {
  private dummy: Promise<string> | null = null;

  async hash(password: string): Promise<string> {
    checkPassword(password);
    return hash(password, OPTIONS);
  }

  async verifyOrDummy(storedHash: string | null, password: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    if (!storedHash) {
      this.dummy ??= hash('not a password of anybody', OPTIONS);
      await verify(await this.dummy, password).catch(() => false);
      return false;
    }
    return verify(storedHash, password).catch(() => false);
  }
}

/** Length rules only (NIST 800-63B): long passphrases beat composition rules. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
    throw VitrineError.badInput(
      `A password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters; a few words in a row make a good one.`,
      { argument: 'password' },
    );
}
