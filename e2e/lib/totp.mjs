// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps) with node's crypto, to play the
// authenticator app in the browser tests.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32; spaces, dashes, padding and case are ignored. */
export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The step number of a moment (milliseconds since the epoch). */
export function step(at = Date.now(), period = 30) {
  return Math.floor(at / 1000 / period);
}

/** The 6-digit code of a base32 secret for a step (RFC 4226 dynamic truncation). */
export function hotp(secret, counter, digits = 6) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator app shows now. */
export function totp(secret, at = Date.now()) {
  return hotp(secret, step(at));
}

/** Waits until the step after `used`, so a code accepted once is not replayed (T1). */
export async function nextStep(used) {
  while (step() <= used) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
