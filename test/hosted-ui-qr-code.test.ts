import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { otpauthUri, qrCodeSvg } from '../src/api/hosted-ui/qr-code.js';

// The MFA set-up page's QR code: the SVG path, drawn back onto a grid, is exactly the symbol the
// qrcode library computed for the otpauth:// URI (so any scanner reads what the library encoded).

describe('qrCodeSvg', () => {
  it('draws every dark module and nothing else, inside a four-module quiet zone', () => {
    const uri = otpauthUri('Acme Shop', 'jane@example.com', 'JBSWY3DPEHPK3PXP');
    const svg = qrCodeSvg(uri, 'QR "code"').value;
    const { modules } = QRCode.create(uri, { errorCorrectionLevel: 'M' });
    const size = modules.size;
    expect(svg).toContain(`viewBox="0 0 ${size + 8} ${size + 8}"`);
    expect(svg).toContain('aria-label="QR &quot;code&quot;"');
    expect(svg).not.toMatch(/style=|<script|href=/);
    const grid = Array.from({ length: size + 8 }, () => new Array<number>(size + 8).fill(0));
    const d = /<path fill="#000000" d="([^"]+)"/.exec(svg)![1]!;
    for (const [, x, y, w] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let i = 0; i < Number(w); i++) grid[Number(y)]![Number(x) + i] = 1;
    }
    for (let row = 0; row < size + 8; row++) {
      for (let col = 0; col < size + 8; col++) {
        const inside = row >= 4 && col >= 4 && row < size + 4 && col < size + 4;
        expect(grid[row]![col]).toBe(inside ? modules.data[(row - 4) * size + (col - 4)] : 0);
      }
    }
  });

  it('builds the Key Uri Format authenticator apps read', () => {
    expect(otpauthUri('Acme Shop', 'jane@example.com', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Acme%20Shop:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Shop&algorithm=SHA1&digits=6&period=30',
    );
  });
});
