import { BlockList, isIP } from 'node:net';

/** Parses CIDR ranges (IPv4 or IPv6, `a.b.c.d/n`); undefined names the first malformed one. */
export function parseRanges(ranges: string[]): { list: BlockList } | { invalid: string } {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefixText, extra] = range.split('/');
    const family = address ? isIP(address) : 0;
    const prefix = Number(prefixText);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText) || prefix > max) return { invalid: range };
    list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { list };
}

/** Whether an address falls in any of the ranges (malformed ranges never match). */
export function inRanges(ip: string | undefined, ranges: string[] | undefined): boolean {
  if (!ip || !ranges?.length) return false;
  const parsed = parseRanges(ranges);
  if (!('list' in parsed)) return false;
  const family = isIP(ip);
  return family !== 0 && parsed.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
