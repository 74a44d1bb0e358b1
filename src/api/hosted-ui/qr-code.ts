import QRCode from 'qrcode';
import { Html, escapeHtml } from './html.js';

/**
 * A QR code as inline SVG, drawn on the server: no script, no image request, nothing the page's
 * Content-Security-Policy has to allow (the SVG uses presentation attributes, not style). One
 * path draws every dark module as a run along its row; a four-module quiet zone surrounds it.
 * `label` is what screen readers announce (the key is also printed as text on the page).
 */
export function qrCodeSvg(text: string, label: string): Html {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const quiet = 4;
  const runs: string[] = [];
  for (let row = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col <= size; col++) {
      const dark = col < size && modules.data[row * size + col] === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push(`M${start + quiet} ${row + quiet}h${col - start}v1h-${col - start}z`);
        start = -1;
      }
    }
  }
  const box = size + 2 * quiet;
  return new Html(
    `<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}" width="200" height="200" role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges">` +
      `<rect width="${box}" height="${box}" fill="#ffffff"/><path fill="#000000" d="${runs.join('')}"/></svg>`,
  );
}

/** The otpauth:// URI authenticator apps read (Google's Key Uri Format): issuer and account label, the base32 key. */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
