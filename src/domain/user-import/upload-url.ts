import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../crypto/secret-box.js';

// The PreSignedUrl of an import job points at Frontdesk: PUT <publicUrl>/user-import/<pool>/<job>
// with an expiry and an HMAC-SHA256 (under a key derived from the master key) of pool, job and
// expiry. Nothing secret is stored: the signature is recomputed to verify it (constant-time) and
// to show the same URL again in DescribeUserImportJob, as Cognito does. Without the master key
// nobody can make or extend one.

/** Cognito's pre-signed upload URLs are valid for 15 minutes. */
export const UPLOAD_URL_VALIDITY_MS = 15 * 60 * 1000;
export const UPLOAD_PATH_PREFIX = '/user-import';
const PURPOSE = 'user-import-upload-url';

export class UploadUrls {
  constructor(
    private readonly secrets: SecretBox,
    private readonly publicUrl: () => string,
  ) {}

  url(userPoolId: string, jobId: string, expiresAt: Date): string {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const base = this.publicUrl().replace(/\/+$/, '');
    const query = new URLSearchParams({
      'X-Frontdesk-Expires': String(expires),
      'X-Frontdesk-Signature': this.signature(userPoolId, jobId, expires),
    });
    return `${base}${UPLOAD_PATH_PREFIX}/${encodeURIComponent(userPoolId)}/${encodeURIComponent(jobId)}?${query}`;
  }

  /** 'ok', 'invalid' (not a URL we issued) or 'expired'. */
  verify(userPoolId: string, jobId: string, expiresParam: unknown, signatureParam: unknown, now: Date): 'ok' | 'invalid' | 'expired' {
    if (typeof expiresParam !== 'string' || typeof signatureParam !== 'string' || !/^\d{1,12}$/.test(expiresParam)) return 'invalid';
    const expected = Buffer.from(this.signature(userPoolId, jobId, Number(expiresParam)));
    const given = Buffer.from(signatureParam);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expiresParam) * 1000 <= now.getTime() ? 'expired' : 'ok';
  }

  private signature(userPoolId: string, jobId: string, expires: number): string {
    return this.secrets.mac(`${userPoolId}\n${jobId}\n${expires}`, PURPOSE);
  }
}
